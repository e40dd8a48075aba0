#!/bin/bash
# In the guest (deb.sh): dpkg -i, -r and -P of the package DEB.
. "$SRCDIR/lib.sh"
deb=$1
helper=/usr/libexec/session-switch/session-switch-helper
unit=session-switch-recover.service
ma=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -print-multiarch)
# man-db's trigger would index every page under TCG: not what is tested
rm -f /var/lib/man-db/auto-update
# the guest made the group and the X check's user: the package must make its own
userdel session-switch-x; groupdel session-switch-x 2>/dev/null; groupdel session-switch
snapshot() { # what could be left behind: the package's paths, accounts, links, overrides
	{ ls -d /usr/libexec/session-switch /usr/bin/session-switch /lib/$ma/security/pam_session_switch.so \
		/lib/systemd/system/$unit /var/lib/session-switch 2>/dev/null
	  find /etc/systemd -name "$unit" 2>/dev/null
	  getent group session-switch; getent passwd session-switch-x
	  dpkg-statoverride --list | grep session-switch; } | sort
}
before=$(snapshot)

dpkg -i "$deb" >"$OUT/install.log" 2>&1; assert_eq "dpkg -i: exit" 0 $?
assert_eq "owner of the helper" root:session-switch "$(stat -c %U:%G $helper)"
assert_eq "mode of the helper" 4755 "$(stat -c %a $helper)"
getent passwd session-switch-x >/dev/null && pass "user session-switch-x created" || fail "no user session-switch-x"
assert_file /lib/$ma/security/pam_session_switch.so
assert_eq "the recover unit is enabled" enabled "$(systemctl --root=/ is-enabled $unit 2>&1)"
$SS status >/dev/null; assert_eq "session-switch status" 0 $?
assert_file /usr/share/bash-completion/completions/session-switch
man -w session-switch.conf >/dev/null 2>&1 && pass "man session-switch.conf found" || fail "no man page session-switch.conf"

# a journal, as a switch leaves one
mkdir -p /var/lib/session-switch && echo "version=2" >/var/lib/session-switch/journal
dpkg -r session-switch >"$OUT/remove.log" 2>&1; assert_eq "dpkg -r: exit" 0 $?
assert_no_file $helper
getent group session-switch >/dev/null && pass "remove keeps the group" || fail "remove took the group"
assert_file /var/lib/session-switch/journal
dpkg-statoverride --list $helper >/dev/null && fail "remove kept the statoverride" || pass "statoverride gone with the helper"

dpkg -P session-switch >"$OUT/purge.log" 2>&1; assert_eq "dpkg -P: exit" 0 $?
assert_no_file /var/lib/session-switch
getent group session-switch >/dev/null && fail "purge left the group" || pass "purge removed the group"
getent passwd session-switch-x >/dev/null && fail "purge left the user" || pass "purge removed the user"
after=$(snapshot)
assert_eq "left behind after purge" "$before" "$after"
finish
