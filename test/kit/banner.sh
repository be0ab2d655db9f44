# Test helper: the line Cadre's boot prints first on the console, which proves the kernel itself came up.
# shellcheck disable=SC2034
cadre_banner_re='^Cadre'
