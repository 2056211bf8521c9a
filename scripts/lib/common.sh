# Shared helpers for Baton's scripts: logging, the cache folder, installing missing Debian packages.
log() { printf '%s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

baton_cache() { echo "${XDG_CACHE_HOME:-$HOME/.cache}/baton"; }
repo_root() { cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd; }

_apt_updated=
apt_lists_fresh() {
  # apt-cache and apt-get download need package lists; fetch them once per run when absent or stale.
  if [ -z "$_apt_updated" ]; then
    if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages' -mmin -1440 2>/dev/null | head -1)" ]; then
      as_root apt-get update -qq >&2
    fi
    _apt_updated=1
  fi
}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# need_packages PKG...: installs the Debian packages that are not installed yet.
need_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing: ${missing[*]}"
  apt_lists_fresh
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# listed_packages USE: the packages scripts/lib/packages marks for USE (demo, test or linuxboot).
listed_packages() {
  awk -v use="$1" '!/^#/ && NF { for (i = 2; i <= NF && $i ~ /^(demo|test|linuxboot)$/; i++) if ($i == use) { print $1; break } }' \
    "$(dirname "${BASH_SOURCE[0]}")/packages"
}

# need_listed_packages USE: installs what scripts/lib/packages lists for USE and is missing.
need_listed_packages() {
  local packages
  packages=$(listed_packages "$1")
  [ -n "$packages" ] || die "scripts/lib/packages lists nothing for '$1'"
  # shellcheck disable=SC2086  # one word per package
  need_packages $packages
}
