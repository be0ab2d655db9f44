/* CMOS real-time clock (ports 0x70-0x71 of PC machines): read at boot as Unix time to set the wall clock. */
#include <frame/clock.h>
#include <frame/errno.h>
#include <frame/firmware.h>
#include <frame/io_port.h>
#include <frame/irq.h>
#include <frame/log.h>
#include <frame/mutex.h>
#include <kernel/rtc.h>

#define CMOS_PORT 0x70
#define CMOS_INDEX 0
#define CMOS_DATA 1
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

/* Kept for good once acquired: the index/data pair is the driver's alone. */
static struct io_port *cmos;
static struct mutex init_lock = MUTEX_INIT("rtc_cmos");

static uint8_t cmos_read(uint8_t reg)
{
	uint8_t v;
	if (io_port_write8(cmos, CMOS_INDEX, reg) || io_port_read8(cmos, CMOS_DATA, &v))
		return 0xff;
	return v;
}

static void read_raw(struct rtc_time *t, uint8_t century_reg)
{
	/* Registers are inconsistent while an update is in progress (up to ~2 ms). */
	for (int i = 0; i < 100000 && (cmos_read(RTC_STATUS_A) & STATUS_A_UIP); i++)
		clock_delay_ns(100);
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

uint64_t rtc_cmos_read_epoch_ns(void)
{
	if (!cmos)
		return 0;
	struct rtc_time a, b;
	uint8_t century_reg = firmware_rtc_century_index();

	/* Index then data: nothing may come between the two, not even an interrupt handler. */
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

int rtc_cmos_init(void)
{
	mutex_lock(&init_lock);
	int err = cmos ? 0 : io_port_acquire(CMOS_PORT, 2, &cmos);
	mutex_unlock(&init_lock);
	if (err) {
		pr_warn("rtc: CMOS ports unavailable (%d); the wall clock starts at 1970\n", err);
		return err;
	}
	uint64_t now = rtc_cmos_read_epoch_ns();
	if (!now) {
		pr_warn("rtc: no valid time in the CMOS clock; the wall clock starts at 1970\n");
		return -ENODEV;
	}
	return clock_realtime_set(now);
}
