#!/bin/sh
# Renders the CTI's Asterisk configuration (asterisk-config/*.conf) into a directory, applying the
# environment below. The image's entrypoint runs it at every start (so a changed variable takes effect
# on restart); the tests run it too (DockerAsteriskConfigTest, ImageConfigIT), so what the image runs
# is what the live suite runs.
#
#   render-config.sh SOURCE_DIR TARGET_DIR
#
# With every variable unset the result is byte for byte asterisk-config/ (the lab: loopback only).
#
#   ASTERISK_BIND_ADDRESS  address AMI (5038), HTTP/ARI (8088) and SIP (5060/udp) listen on
#                          (default 127.0.0.1; 0.0.0.0 in a container whose ports are published)
#   AMI_PERMIT             network allowed to log in as the AMI user cti: address/mask or address/bits
#                          (default 127.0.0.1/255.255.255.255; in compose: the stack's subnet)
#   AMI_SECRET             the AMI user's secret        (CTI: asterisk.ami.secret, CTI_ASTERISK_AMI_SECRET)
#   ARI_PASSWORD           the ARI user's password      (CTI: asterisk.ari.password, CTI_ASTERISK_ARI_PASSWORD)
#   CTI_APP                the Stasis application name  (CTI: asterisk.ari.app, CTI_ASTERISK_ARI_APP)
#   PHONE_HOST             host of the lab phones' static contacts (agents :5071-5074, customers :5081-5082)
#   MEDIA_ADDRESS          address Asterisk advertises in SDP and binds RTP to (default 127.0.0.1);
#                          empty: RTP on every address, the SDP carries the one the packet leaves from
#   EXTERNAL_ADDRESS       behind NAT (a container, a cloud host): the public address phones and trunks
#                          reach; set as the SIP transport's external_media_address and
#                          external_signaling_address. Empty (default): no NAT rewriting.
#   LOCAL_NET              with EXTERNAL_ADDRESS: networks reached without NAT, comma separated
#                          (e.g. 172.30.0.0/24,192.168.0.0/16); each becomes a local_net line.
#   RTP_START, RTP_END     the RTP port range (default 20000-21000); publish the same range.
#   LAB_ENDPOINTS          yes (default): keep the lab's phones 1001-1005 and customers 2001-2002 (static
#                          contacts at PHONE_HOST without authentication, 1005's password in the file);
#                          no: remove them (everything between pjsip.conf's ">>> lab endpoints" and
#                          "<<< lab endpoints" lines) -- for any SIP port others can reach. Your phones
#                          and trunks then come from pjsip.d/*.conf.
#
# A value may not contain '|' or a newline (they are inserted with sed). Every substitution must match
# exactly one line of the source: a configuration that no longer has the line a setting replaces
# stops the start with the file and the line that was looked for, instead of silently keeping the lab value.
set -eu

if [ $# -ne 2 ]; then
  echo "usage: render-config.sh SOURCE_DIR TARGET_DIR" >&2
  exit 2
fi
src=$1
dst=$2

: "${ASTERISK_BIND_ADDRESS:=127.0.0.1}" "${AMI_PERMIT:=127.0.0.1/255.255.255.255}"
: "${AMI_SECRET=cti-secret}" "${ARI_PASSWORD=cti-secret}" "${CTI_APP:=cti}"
: "${PHONE_HOST:=127.0.0.1}" "${MEDIA_ADDRESS=127.0.0.1}"
: "${EXTERNAL_ADDRESS:=}" "${LOCAL_NET:=}" "${RTP_START:=20000}" "${RTP_END:=21000}"
: "${LAB_ENDPOINTS:=yes}"

fail() {
  echo "render-config: $*" >&2
  exit 2
}

for v in ASTERISK_BIND_ADDRESS AMI_PERMIT AMI_SECRET ARI_PASSWORD CTI_APP PHONE_HOST MEDIA_ADDRESS \
         EXTERNAL_ADDRESS LOCAL_NET RTP_START RTP_END; do
  eval "val=\${$v}"
  case $val in
    *'|'*) fail "$v must not contain '|'" ;;
  esac
done
[ -n "$AMI_SECRET" ] || fail "AMI_SECRET must not be empty"
[ -n "$ARI_PASSWORD" ] || fail "ARI_PASSWORD must not be empty"
case $CTI_APP in
  ''|*[!A-Za-z0-9_.-]*) fail "CTI_APP '$CTI_APP' must be letters, digits, '_', '.' or '-'" ;;
esac
case $RTP_START$RTP_END in
  *[!0-9]*) fail "RTP_START and RTP_END must be port numbers (got '$RTP_START', '$RTP_END')" ;;
esac
if [ "$RTP_START" -lt 1024 ] || [ "$RTP_END" -gt 65535 ] || [ "$RTP_START" -ge "$RTP_END" ]; then
  fail "RTP range $RTP_START-$RTP_END: need 1024 <= RTP_START < RTP_END <= 65535"
fi
case $LAB_ENDPOINTS in
  yes|no) ;;
  *) fail "LAB_ENDPOINTS must be yes or no (got '$LAB_ENDPOINTS')" ;;
esac
[ -z "$LOCAL_NET" ] || [ -n "$EXTERNAL_ADDRESS" ] || fail "LOCAL_NET is only used with EXTERNAL_ADDRESS"

mkdir -p "$dst"
found=0
for f in "$src"/*.conf; do
  [ -e "$f" ] || break
  cp "$f" "$dst/$(basename "$f")"
  found=1
done
[ $found = 1 ] || fail "no .conf files in $src"

# replace FILE REGEX REPLACEMENT: sed s|REGEX|REPLACEMENT| on the one line REGEX matches.
replace() {
  n=$(grep -c -- "$2" "$dst/$1" || true)
  [ "$n" = 1 ] || fail "$1: expected exactly one line matching '$2', found $n (is asterisk-config/ out of step with this script?)"
  sed -i -e "s|$2|$3|" "$dst/$1"
}
# replace_all FILE REGEX REPLACEMENT: every matching line (at least one).
replace_all() {
  n=$(grep -c -- "$2" "$dst/$1" || true)
  [ "$n" -ge 1 ] || fail "$1: expected a line matching '$2', found none"
  sed -i -e "s|$2|$3|" "$dst/$1"
}

replace manager.conf '^bindaddr = 127\.0\.0\.1$' "bindaddr = $ASTERISK_BIND_ADDRESS"
replace manager.conf '^permit = 127\.0\.0\.1/255\.255\.255\.255$' "permit = $AMI_PERMIT"
replace manager.conf '^secret = cti-secret$' "secret = $AMI_SECRET"
replace http.conf '^bindaddr = 127\.0\.0\.1$' "bindaddr = $ASTERISK_BIND_ADDRESS"
replace ari.conf '^password = cti-secret$' "password = $ARI_PASSWORD"
replace extensions.conf '^CTI_APP = cti$' "CTI_APP = $CTI_APP"
replace pjsip.conf '^bind = 127\.0\.0\.1:5060$' "bind = $ASTERISK_BIND_ADDRESS:5060"
replace_all pjsip.conf '^contact = sip:\([0-9]*\)@127\.0\.0\.1:' "contact = sip:\1@$PHONE_HOST:"
replace rtp.conf '^rtpstart = 20000$' "rtpstart = $RTP_START"
replace rtp.conf '^rtpend = 21000$' "rtpend = $RTP_END"
if [ -n "$MEDIA_ADDRESS" ]; then
  replace pjsip.conf '^media_address = 127\.0\.0\.1$' "media_address = $MEDIA_ADDRESS"
else
  replace pjsip.conf '^media_address = 127\.0\.0\.1$' "; media_address: not set (MEDIA_ADDRESS empty)"
  replace pjsip.conf '^bind_rtp_to_media_address = yes$' "; bind_rtp_to_media_address: not set (MEDIA_ADDRESS empty)"
fi
if [ -n "$EXTERNAL_ADDRESS" ]; then
  nat="external_media_address = $EXTERNAL_ADDRESS\\
external_signaling_address = $EXTERNAL_ADDRESS"
  if [ -n "$LOCAL_NET" ]; then
    old_ifs=$IFS
    IFS=,
    for net in $LOCAL_NET; do
      [ -n "$net" ] && nat="$nat\\
local_net = $net"
    done
    IFS=$old_ifs
  fi
  replace pjsip.conf "^bind = $ASTERISK_BIND_ADDRESS:5060\$" "bind = $ASTERISK_BIND_ADDRESS:5060\\
$nat"
fi

if [ "$LAB_ENDPOINTS" = no ]; then
  [ "$(grep -c '^; >>> lab endpoints' "$dst/pjsip.conf")" = 1 ] && [ "$(grep -c '^; <<< lab endpoints$' "$dst/pjsip.conf")" = 1 ] \
    || fail "pjsip.conf: expected one '; >>> lab endpoints' and one '; <<< lab endpoints' line"
  sed -i -e '/^; >>> lab endpoints/,/^; <<< lab endpoints$/d' "$dst/pjsip.conf"
fi

if [ "$(id -u)" = 0 ] && id asterisk >/dev/null 2>&1; then
  chown asterisk:asterisk "$dst"/*.conf
fi
