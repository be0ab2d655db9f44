# What glibc and coreutils read from /proc and /sys: CPU counts, mount table, process status.
getconf _NPROCESSORS_ONLN; getconf _NPROCESSORS_CONF
cat /sys/devices/system/cpu/online /sys/devices/system/cpu/possible
ls /sys/devices/system/cpu | grep -E '^cpu[0-9]+$'
awk '{ print $4, $5, $6, $7, $8, $9 }' /proc/self/mountinfo
awk '{ print $1, $2, $3 }' /proc/mounts
grep -E '^(Name|State|Uid|Gid|Threads)' /proc/self/status
cut -d' ' -f2,3 /proc/self/stat
ls /proc/self/fd
readlink /proc/self/fd/0 /proc/self/cwd /proc/self/root
cat /proc/sys/kernel/ostype /proc/sys/kernel/pid_max /proc/sys/kernel/ngroups_max /proc/sys/kernel/cap_last_cap
cat /proc/sys/kernel/random/boot_id | tr '0-9a-f' 'x'
cat /proc/sys/kernel/random/uuid | tr '0-9a-f' 'x'
