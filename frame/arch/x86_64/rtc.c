/* CMOS real-time clock: read once at boot (BCD or binary, 12/24 h) as Unix time. */
#include <arch/acpi.h>
#include <arch/cpu.h>
#include <arch/time.h>
#include <frame/irq.h>

#define CMOS_INDEX 0x70
#define CMOS_DATA 0x71
#define RTC_SECONDS 0x00
#define RTC_MINUTES 0x02
#define RTC_HOURS 0x04
#define RTC_DAY 0x07
#define RTC_MONTH 0x08
#define RTC_YEAR 0x09
#define RTC_STATUS_A 0x0a
#define RTC_STATUS_B 0x0b
#define STATUS_A_UIP 0x80
#define STATUS_B_24H 0x02
#define STATUS_B_BINARY 0x04

struct rtc_time {
	uint8_t sec, min, hour, day, mon, year, century;
};

static uint8_t cmos_read(uint8_t reg)
{
	outb(CMOS_INDEX, reg);
	return inb(CMOS_DATA);
}

static void read_raw(struct rtc_time *t, uint8_t century_reg)
{
	/* Registers are inconsistent while an update is in progress (up to ~2 ms). */
	for (int i = 0; i < 100000 && (cmos_read(RTC_STATUS_A) & STATUS_A_UIP); i++)
		cpu_relax();
	t->sec = cmos_read(RTC_SECONDS);
	t->min = cmos_read(RTC_MINUTES);
	t->hour = cmos_read(RTC_HOURS);
	t->day = cmos_read(RTC_DAY);
	t->mon = cmos_read(RTC_MONTH);
	t->year = cmos_read(RTC_YEAR);
	t->century = century_reg ? cmos_read(century_reg) : 0;
}

static bool same(const struct rtc_time *a, const struct rtc_time *b)
{
	return a->sec == b->sec && a->min == b->min && a->hour == b->hour && a->day == b->day &&
	       a->mon == b->mon && a->year == b->year && a->century == b->century;
}

static uint8_t bcd(uint8_t v)
{
	return (uint8_t)((v >> 4) * 10 + (v & 0xf));
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

uint64_t rtc_read_epoch_ns(void)
{
	struct rtc_time a, b;
	uint8_t century_reg = acpi_info.have_fadt ? acpi_info.century_reg : 0;

	unsigned long f = irq_save();
	read_raw(&a, century_reg);
	/* Read until two passes agree, so no field rolled over between reads. */
	for (int i = 0; i < 10; i++) {
		read_raw(&b, century_reg);
		if (same(&a, &b))
			break;
		a = b;
	}
	uint8_t status_b = cmos_read(RTC_STATUS_B);
	irq_restore(f);

	bool pm = a.hour & 0x80;
	a.hour &= 0x7f;
	if (!(status_b & STATUS_B_BINARY)) {
		a.sec = bcd(a.sec);
		a.min = bcd(a.min);
		a.hour = bcd(a.hour);
		a.day = bcd(a.day);
		a.mon = bcd(a.mon);
		a.year = bcd(a.year);
		a.century = bcd(a.century);
	}
	if (!(status_b & STATUS_B_24H)) {
		/* 12-hour mode: 12 AM is 0h, 12 PM is 12h. */
		if (a.hour == 12)
			a.hour = 0;
		if (pm)
			a.hour += 12;
	}
	unsigned year = a.century ? a.century * 100u + a.year : 2000u + a.year;
	if (a.mon < 1 || a.mon > 12 || a.day < 1 || a.day > 31 || a.hour > 23 || a.min > 59 ||
	    a.sec > 60)
		return 0;
	int64_t days = days_from_civil(year, a.mon, a.day);
	int64_t secs = days * 86400 + a.hour * 3600 + a.min * 60 + a.sec;
	return secs > 0 ? (uint64_t)secs * 1000000000ull : 0;
}
