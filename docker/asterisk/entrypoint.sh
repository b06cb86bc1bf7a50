#!/bin/sh
# Renders /etc/asterisk from the CTI configuration copied into the image (asterisk-config/) with the
# container's environment (see render-config.sh for every variable), then runs the command: Asterisk in
# the foreground by default.
set -eu

if [ "${AMI_SECRET:-cti-secret}" = cti-secret ] || [ "${ARI_PASSWORD:-cti-secret}" = cti-secret ]; then
  echo "asterisk-cti: WARNING: the lab's AMI/ARI passwords are in use; set AMI_SECRET and ARI_PASSWORD" >&2
fi
/usr/local/bin/asterisk-cti-render-config /usr/share/asterisk-cti/config /etc/asterisk
# A new named volume's directory may be owned by root: Asterisk runs as user asterisk. Only the directories
# themselves (not recursively: a recordings volume holds years of files, all written by asterisk already).
for d in /var/spool/asterisk /var/spool/asterisk/recording /var/spool/asterisk/voicemail /var/spool/asterisk/monitor \
         /var/log/asterisk /var/log/asterisk/cdr-csv; do
  mkdir -p "$d"
  chown asterisk:asterisk "$d"
done
exec "$@"
