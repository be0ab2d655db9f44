# Test helper: the boot banner the frame logs once the machine is up, which proves the kernel itself came up.
# shellcheck disable=SC2034
cadre_banner_re='Cadre frame .* booted by'
