#!/bin/sh
# Renders /etc/asterisk from the CTI configuration (asterisk-config/, copied into the image) with
# the container's environment, then runs the command (Asterisk in the foreground by default).
# NOT VERIFIED in a container yet (see the Dockerfile).
#
#   ASTERISK_BIND_ADDRESS  address AMI (5038), HTTP/ARI (8088) and SIP (5060/udp) listen on
#                          (default 127.0.0.1; 0.0.0.0 when ports are published)
#   AMI_PERMIT             network/mask allowed to log in as the AMI user cti
#   AMI_SECRET             the AMI user's secret   (CTI: asterisk.ami.secret)
#   ARI_PASSWORD           the ARI user's password (CTI: asterisk.ari.password)
#   CTI_APP                the Stasis application  (CTI: asterisk.ari.app)
#   PHONE_HOST             host of the test phones' static contacts (agents :5071-5074, customers
#                          :5081-5082); the host's address when the phones run outside the container
#   MEDIA_ADDRESS          address Asterisk advertises and binds for RTP
set -eu

src=/usr/share/asterisk-cti/config
dst=/etc/asterisk
: "${ASTERISK_BIND_ADDRESS:=127.0.0.1}" "${AMI_PERMIT:=127.0.0.1/255.255.255.255}"
: "${AMI_SECRET:=cti-secret}" "${ARI_PASSWORD:=cti-secret}" "${CTI_APP:=cti}"
: "${PHONE_HOST:=127.0.0.1}" "${MEDIA_ADDRESS:=127.0.0.1}"

if [ "$AMI_SECRET" = cti-secret ] || [ "$ARI_PASSWORD" = cti-secret ]; then
  echo "asterisk-cti: WARNING: the default AMI/ARI passwords are in use; set AMI_SECRET and ARI_PASSWORD" >&2
fi

for f in "$src"/*.conf; do
  cp "$f" "$dst/$(basename "$f")"
done

# Values are inserted with sed: keep them free of '|' and newlines.
sed -i -e "s|^bindaddr = 127.0.0.1|bindaddr = $ASTERISK_BIND_ADDRESS|" \
       -e "s|^permit = 127.0.0.1/255.255.255.255|permit = $AMI_PERMIT|" \
       -e "s|^secret = cti-secret|secret = $AMI_SECRET|" "$dst/manager.conf"
sed -i -e "s|^bindaddr = 127.0.0.1|bindaddr = $ASTERISK_BIND_ADDRESS|" "$dst/http.conf"
sed -i -e "s|^password = cti-secret|password = $ARI_PASSWORD|" "$dst/ari.conf"
sed -i -e "s|^CTI_APP = cti|CTI_APP = $CTI_APP|" "$dst/extensions.conf"
sed -i -e "s|^bind = 127.0.0.1:5060|bind = $ASTERISK_BIND_ADDRESS:5060|" \
       -e "s|^media_address = 127.0.0.1|media_address = $MEDIA_ADDRESS|" \
       -e "s|^contact = sip:\([0-9]*\)@127.0.0.1:|contact = sip:\1@$PHONE_HOST:|" "$dst/pjsip.conf"
chown asterisk:asterisk "$dst"/*.conf

exec "$@"
