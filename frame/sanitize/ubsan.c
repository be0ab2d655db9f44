/* UBSAN handlers: report undefined behaviour with the source location gcc records, counted and non-fatal. */
#ifdef FRAME_SANITIZE
#include <frame/log.h>
#include <frame/panic.h>
#include <internal/panic.h>
#include <internal/sanitize.h>

#include "sanitize_private.h"

/* The data layouts gcc passes (shared with clang's runtime ABI). */
struct source_location {
	const char *file;
	uint32_t line;
	uint32_t column;
};

struct type_descriptor {
	uint16_t kind; /* 0 integer, 1 float */
	uint16_t info; /* integers: bit 0 signed, bits 1.. log2 of the width */
	char name[];
};

struct overflow_data {
	struct source_location loc;
	const struct type_descriptor *type;
};

struct shift_data {
	struct source_location loc;
	const struct type_descriptor *lhs_type;
	const struct type_descriptor *rhs_type;
};

struct out_of_bounds_data {
	struct source_location loc;
	const struct type_descriptor *array_type;
	const struct type_descriptor *index_type;
};

struct type_mismatch_data {
	struct source_location loc;
	const struct type_descriptor *type;
	uint8_t log_alignment;
	uint8_t type_check_kind;
};

struct invalid_value_data {
	struct source_location loc;
	const struct type_descriptor *type;
};

struct nonnull_arg_data {
	struct source_location loc;
	struct source_location attr_loc;
	int arg_index;
};

struct loc_only_data {
	struct source_location loc;
};

struct invalid_builtin_data {
	struct source_location loc;
	uint8_t kind;
};

struct alignment_assumption_data {
	struct source_location loc;
	struct source_location assumption_loc;
	const struct type_descriptor *type;
};

static unsigned long reports;
static const char *last_kind;
static unsigned last_line;

unsigned long ubsan_report_count(void)
{
	return reports;
}

void ubsan_last_report(const char **kind, unsigned *line)
{
	*kind = last_kind;
	*line = last_line;
}

/*
 * Each site reports once (its column is then set to all ones, as in Linux),
 * so a bug inside a loop is one report, not a flood.
 */
static bool report_begin(struct source_location *loc, const char *kind)
{
	if (loc->column == ~0u || sanitize_reporting)
		return false;
	loc->column = ~0u;
	reports++;
	last_kind = kind;
	last_line = loc->line;
	return reports <= SANITIZE_REPORTS_PRINTED;
}

static void report(struct source_location *loc, const char *kind, uintptr_t ip,
		   uintptr_t fp, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* @fp is the handler's frame: its saved rbp belongs to the function with the bug. */
static void report(struct source_location *loc, const char *kind, uintptr_t ip,
		   uintptr_t fp, const char *fmt, ...)
{
	uint32_t column = loc->column;
	if (!report_begin(loc, kind))
		return;
	sanitize_reporting = true;
	char detail[160];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	console_printf("UBSAN: %s at %s:%u:%u\n  %s\n", kind, loc->file, loc->line,
		       column, detail);
	backtrace_print(ip - 1, *(const uint64_t *)fp);
	console_printf("---[ end UBSAN report %lu ]---\n", reports);
	sanitize_reporting = false;
}

#define REPORT(loc, kind, ...) \
	report((loc), (kind), (uintptr_t)__builtin_return_address(0), \
	       (uintptr_t)__builtin_frame_address(0), __VA_ARGS__)

static bool type_signed(const struct type_descriptor *t)
{
	return t->kind == 0 && (t->info & 1);
}

static unsigned type_bits(const struct type_descriptor *t)
{
	return 1u << (t->info >> 1);
}

/* Values wider than a pointer arrive by reference; the kernel has none it checks. */
static int64_t value_of(const struct type_descriptor *t, uintptr_t v)
{
	unsigned bits = type_bits(t);
	if (bits > 64)
		return 0;
	if (type_signed(t) && bits < 64)
		return (int64_t)(v << (64 - bits)) >> (64 - bits);
	return (int64_t)v;
}

static void overflow(struct overflow_data *d, uintptr_t lhs, uintptr_t rhs, char op,
		     uintptr_t ip, uintptr_t fp)
{
	const char *kind = type_signed(d->type) ? "signed-integer-overflow"
						: "unsigned-integer-overflow";
	const char *f = type_signed(d->type) ? "%ld %c %ld cannot be represented in type %s"
					     : "%lu %c %lu cannot be represented in type %s";
	report(&d->loc, kind, ip, fp, f, (long)value_of(d->type, lhs), op,
	       (long)value_of(d->type, rhs), d->type->name);
}

#define OVERFLOW_HANDLER(name, op) \
	void __ubsan_handle_##name(struct overflow_data *d, uintptr_t l, uintptr_t r); \
	void __ubsan_handle_##name(struct overflow_data *d, uintptr_t l, uintptr_t r) \
	{ \
		overflow(d, l, r, op, (uintptr_t)__builtin_return_address(0), \
			 (uintptr_t)__builtin_frame_address(0)); \
	}

OVERFLOW_HANDLER(add_overflow, '+')
OVERFLOW_HANDLER(sub_overflow, '-')
OVERFLOW_HANDLER(mul_overflow, '*')

void __ubsan_handle_negate_overflow(struct overflow_data *d, uintptr_t old);
void __ubsan_handle_negate_overflow(struct overflow_data *d, uintptr_t old)
{
	REPORT(&d->loc, "signed-integer-overflow", "negation of %ld cannot be represented in type %s",
	       (long)value_of(d->type, old), d->type->name);
}

void __ubsan_handle_divrem_overflow(struct overflow_data *d, uintptr_t l, uintptr_t r);
void __ubsan_handle_divrem_overflow(struct overflow_data *d, uintptr_t l, uintptr_t r)
{
	if (value_of(d->type, r) == 0)
		REPORT(&d->loc, "division-by-zero", "%ld / 0 in type %s",
		       (long)value_of(d->type, l), d->type->name);
	else
		REPORT(&d->loc, "signed-integer-overflow", "%ld / %ld cannot be represented in type %s",
		       (long)value_of(d->type, l), (long)value_of(d->type, r), d->type->name);
}

void __ubsan_handle_shift_out_of_bounds(struct shift_data *d, uintptr_t l, uintptr_t r);
void __ubsan_handle_shift_out_of_bounds(struct shift_data *d, uintptr_t l, uintptr_t r)
{
	int64_t rv = value_of(d->rhs_type, r), lv = value_of(d->lhs_type, l);
	if (rv < 0 || (uint64_t)rv >= type_bits(d->lhs_type))
		REPORT(&d->loc, "shift-out-of-bounds", "shift exponent %ld is too large or negative for %u-bit type %s",
		       (long)rv, type_bits(d->lhs_type), d->lhs_type->name);
	else
		REPORT(&d->loc, "shift-out-of-bounds", "left shift of %ld by %ld places cannot be represented in type %s",
		       (long)lv, (long)rv, d->lhs_type->name);
}

void __ubsan_handle_out_of_bounds(struct out_of_bounds_data *d, uintptr_t index);
void __ubsan_handle_out_of_bounds(struct out_of_bounds_data *d, uintptr_t index)
{
	REPORT(&d->loc, "array-index-out-of-bounds", "index %ld is out of range for type %s",
	       (long)value_of(d->index_type, index), d->array_type->name);
}

/* type_check_kind names, as the compiler numbers them. */
static const char *const check_kinds[] = {
	"load of", "store to", "reference binding to", "member access within",
	"member call on", "constructor call on", "downcast of", "downcast of",
	"upcast of", "cast to virtual base of", "_Nonnull binding to",
	"dynamic operation on",
};

void __ubsan_handle_type_mismatch_v1(struct type_mismatch_data *d, uintptr_t ptr);
void __ubsan_handle_type_mismatch_v1(struct type_mismatch_data *d, uintptr_t ptr)
{
	const char *what = d->type_check_kind < ARRAY_SIZE(check_kinds)
				   ? check_kinds[d->type_check_kind] : "access to";
	uintptr_t align = (uintptr_t)1 << d->log_alignment;
	if (!ptr)
		REPORT(&d->loc, "null-pointer-dereference", "%s null pointer of type %s",
		       what, d->type->name);
	else if (d->log_alignment && (ptr & (align - 1)))
		REPORT(&d->loc, "misaligned-access", "%s misaligned address %#lx for type %s, which needs %lu-byte alignment",
		       what, (unsigned long)ptr, d->type->name, (unsigned long)align);
	else
		REPORT(&d->loc, "object-size-mismatch", "%s address %#lx with insufficient space for an object of type %s",
		       what, (unsigned long)ptr, d->type->name);
}

void __ubsan_handle_load_invalid_value(struct invalid_value_data *d, uintptr_t v);
void __ubsan_handle_load_invalid_value(struct invalid_value_data *d, uintptr_t v)
{
	REPORT(&d->loc, "invalid-load", "load of value %lu, which is not valid for type %s",
	       (unsigned long)v, d->type->name);
}

void __ubsan_handle_nonnull_arg(struct nonnull_arg_data *d);
void __ubsan_handle_nonnull_arg(struct nonnull_arg_data *d)
{
	REPORT(&d->loc, "nonnull-attribute", "null pointer passed as argument %d, declared never null",
	       d->arg_index);
}

void __ubsan_handle_nonnull_return_v1(struct loc_only_data *d, struct source_location *loc);
void __ubsan_handle_nonnull_return_v1(struct loc_only_data *d, struct source_location *loc)
{
	REPORT(loc, "returns-nonnull-attribute", "null pointer returned from a function declared never to return null (%s:%u)",
	       d->loc.file, d->loc.line);
}

void __ubsan_handle_vla_bound_not_positive(struct invalid_value_data *d, uintptr_t bound);
void __ubsan_handle_vla_bound_not_positive(struct invalid_value_data *d, uintptr_t bound)
{
	REPORT(&d->loc, "vla-bound-not-positive", "variable length array bound evaluates to non-positive value %ld",
	       (long)value_of(d->type, bound));
}

void __ubsan_handle_pointer_overflow(struct loc_only_data *d, uintptr_t base, uintptr_t result);
void __ubsan_handle_pointer_overflow(struct loc_only_data *d, uintptr_t base, uintptr_t result)
{
	REPORT(&d->loc, "pointer-overflow", "pointer arithmetic on %#lx overflowed to %#lx",
	       (unsigned long)base, (unsigned long)result);
}

void __ubsan_handle_invalid_builtin(struct invalid_builtin_data *d);
void __ubsan_handle_invalid_builtin(struct invalid_builtin_data *d)
{
	REPORT(&d->loc, "invalid-builtin-use", "passing zero to %s, which is not a valid argument",
	       d->kind == 0 ? "ctz()" : "clz()");
}

void __ubsan_handle_alignment_assumption(struct alignment_assumption_data *d, uintptr_t ptr,
					 uintptr_t align, uintptr_t offset);
void __ubsan_handle_alignment_assumption(struct alignment_assumption_data *d, uintptr_t ptr,
					 uintptr_t align, uintptr_t offset)
{
	REPORT(&d->loc, "alignment-assumption", "assumption of %lu-byte alignment (offset %lu) for pointer %#lx failed",
	       (unsigned long)align, (unsigned long)offset, (unsigned long)ptr);
}

/* Reaching __builtin_unreachable() has no way on: this one is fatal even in tests. */
_Noreturn void __ubsan_handle_builtin_unreachable(struct loc_only_data *d);
_Noreturn void __ubsan_handle_builtin_unreachable(struct loc_only_data *d)
{
	REPORT(&d->loc, "unreachable", "execution reached an unreachable program point");
	panic("UBSAN: unreachable code reached at %s:%u", d->loc.file, d->loc.line);
}
#endif
