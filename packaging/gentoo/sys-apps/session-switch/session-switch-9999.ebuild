# Copyright 2026 session-switch developers
# Distributed under the terms of the session-switch license (none chosen yet)

EAPI=8

inherit pam bash-completion-r1 systemd

DESCRIPTION="Hand the discrete GPU to a VM (vfio-pci) and back, with X on the other GPU"
HOMEPAGE="https://session-switch.invalid/"
if [[ ${PV} == 9999 ]]; then
	inherit autotools git-r3
	EGIT_REPO_URI="https://session-switch.invalid/session-switch.git"
else
	SRC_URI="https://session-switch.invalid/releases/${P}.tar.gz"
	KEYWORDS="~amd64"
fi

LICENSE="all-rights-reserved"
SLOT="0"
IUSE="ddc systemd test"
RESTRICT="!test? ( test ) mirror bindist"

DEPEND="
	sys-apps/pciutils
	sys-libs/pam
	sys-libs/zlib
	x11-libs/libdrm
	x11-libs/libxcb
	ddc? ( app-misc/ddcutil )
"
RDEPEND="${DEPEND}
	acct-group/session-switch
	acct-user/session-switch-x
	sys-apps/kmod[tools]
	systemd? ( sys-apps/systemd )
"
BDEPEND="
	virtual/pkgconfig
	test? (
		app-misc/jq
		app-text/mandoc
		dev-util/cmocka
		sys-apps/man-db
	)
"

# The helper becomes uid 0 by its setuid bit: file capabilities do not
# fit it (it runs modprobe and the display manager's commands as root).
HELPER="/usr/libexec/${PN}/${PN}-helper"

src_prepare() {
	default
	[[ ${PV} == 9999 ]] && eautoreconf
}

src_configure() {
	local myeconfargs=(
		--disable-guest-tests
		--disable-accounts
		--disable-fuzzing
		--disable-sanitizers
		--with-helper-mode=4755
		--with-pam-moduledir="$(getpam_mod_dir)"
		--with-bashcompletiondir="$(get_bashcompdir)"
		--with-openrc="${EPREFIX}/etc/init.d"
		--with-runit=no
		$(use_with ddc ddcutil)
		--with-systemdsystemunitdir="$(usex systemd "$(systemd_get_systemunitdir)" no)"
	)
	econf "${myeconfargs[@]}"
}

src_test() {
	emake check
}

src_install() {
	default
	find "${ED}" -name '*.la' -delete || die
	# acct-group/session-switch made the group before we are merged
	fowners root:session-switch "${HELPER}"
	fperms 4755 "${HELPER}"
}

pkg_postinst() {
	elog "Members of the group session-switch may switch the GPU:"
	elog "  gpasswd -a USER session-switch"
	elog "For the \"Windows VM\" session at the login screen, add to /etc/pam.d/slim:"
	elog "  session optional pam_session_switch.so"
	elog "and let the recover service run before xdm at boot:"
	if use systemd; then
		elog "  systemctl enable session-switch-recover.service"
	else
		elog "  rc-update add session-switch-recover default"
	fi
	elog "See session-switch(1), session-switch.conf(5) and pam_session_switch(8)."
}
