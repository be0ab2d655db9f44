/* prctl(2) options Cadre implements, and personality(2) values. */
/* uapi: <linux/prctl.h> <linux/personality.h> */
#ifndef ABI_PRCTL_H
#define ABI_PRCTL_H

#define PR_SET_PDEATHSIG 1
#define PR_GET_PDEATHSIG 2
#define PR_GET_DUMPABLE 3
#define PR_SET_DUMPABLE 4
#define PR_SET_NAME 15
#define PR_GET_NAME 16
#define PR_SET_CHILD_SUBREAPER 36
#define PR_GET_CHILD_SUBREAPER 37
#define PR_SET_NO_NEW_PRIVS 38
#define PR_GET_NO_NEW_PRIVS 39

#define PER_LINUX 0x0000
#define ADDR_NO_RANDOMIZE 0x0040000

#endif
