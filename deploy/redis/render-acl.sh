#!/bin/sh
# Renders the users file for redis-server --aclfile: drops the comments and
# blank lines (Redis accepts neither) and puts in each ${REDIS_<USER>_PASSWORD}
# from the environment. Refuses an unset or short password, and one with
# anything but letters and digits: a space would add ACL rules, and the same
# password goes into a redis:// URL unescaped (openssl rand -hex 32 fits).
#
#   render-acl.sh users.acl /tmp/users.acl
set -eu
template=$1
out=$2
rendered=$(grep -v -e '^#' -e '^[[:space:]]*$' "$template")
for name in $(printf '%s\n' "$rendered" | grep -o '\${REDIS_[A-Z0-9_]*_PASSWORD}' | tr -d '${}' | sort -u); do
  eval "value=\${$name-}"
  case $value in
    *[!A-Za-z0-9]*) echo "render-acl: $name may hold only letters and digits (openssl rand -hex 32)" >&2; exit 1 ;;
  esac
  if [ ${#value} -lt 32 ]; then echo "render-acl: set $name, at least 32 characters (openssl rand -hex 32)" >&2; exit 1; fi
  rendered=$(printf '%s\n' "$rendered" | sed "s/\${$name}/$value/g")
done
umask 077
rm -f "$out"
printf '%s\n' "$rendered" > "$out"
