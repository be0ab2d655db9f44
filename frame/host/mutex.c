/* Hosted frame mutexes: one thread, so a mutex records that it is held and catches misuse. */
#include <frame/errno.h>
#include <frame/mutex.h>
#include <frame/panic.h>

/* Any non-NULL owner marks "held": there are no tasks in the hosted frame. */
#define HOST_OWNER ((struct task *)&host_owner_tag)
static char host_owner_tag;

void mutex_init(struct mutex *m, const char *name)
{
	spin_lock_init(&m->lock, name);
	m->owner = NULL;
	m->head = m->tail = NULL;
}

void mutex_lock(struct mutex *m)
{
	/* Nobody else could ever unlock it: waiting would hang the test. */
	if (m->owner)
		panic("mutex %s locked twice", m->lock.name ? m->lock.name : "?");
	m->owner = HOST_OWNER;
}

int mutex_lock_timeout(struct mutex *m, uint64_t timeout_ns)
{
	(void)timeout_ns;
	if (m->owner)
		return -ETIMEDOUT;
	m->owner = HOST_OWNER;
	return 0;
}

bool mutex_trylock(struct mutex *m)
{
	if (m->owner)
		return false;
	m->owner = HOST_OWNER;
	return true;
}

void mutex_unlock(struct mutex *m)
{
	if (!m->owner)
		panic("mutex %s unlocked while free", m->lock.name ? m->lock.name : "?");
	m->owner = NULL;
}

bool mutex_held_by_me(const struct mutex *m)
{
	return m->owner != NULL;
}
