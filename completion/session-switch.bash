# bash completion for session-switch(1): its commands, options and modes.
# Standalone: needs nothing from the bash-completion package.

_session_switch()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
	local cmds="status doctor groups plan probe setup vm-config vm host recover play startx libvirt-hook"
	local opts="--sysroot --config --json --wait --detach --help --version"
	local i cmd="" args=0

	COMPREPLY=()
	case $prev in
	--sysroot) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- "$cur")); return ;;
	--config) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur")); return ;;
	--wait) return ;; # seconds: nothing to offer
	esac
	# the command is the first word that is neither an option nor its value
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		--sysroot|--config|--wait) ((i++)) ;;
		-*) ;;
		*) if [ -z "$cmd" ]; then cmd=${COMP_WORDS[i]}; else ((args++)); fi ;;
		esac
	done
	case $cmd in
	"")
		if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W "$opts" -- "$cur"))
		else COMPREPLY=($(compgen -W "$cmds" -- "$cur")); fi ;;
	plan) [ "$args" -eq 0 ] && COMPREPLY=($(compgen -W "vm host" -- "$cur")) ;;
	setup) COMPREPLY=($(compgen -W "--dry-run --undo" -- "$cur")) ;;
	vm-config) COMPREPLY=($(compgen -W "--print --json" -- "$cur")) ;;
	startx) COMPREPLY=($(compgen -W "--print --" -- "$cur")) ;;
	vm|host) COMPREPLY=($(compgen -W "--detach --json --wait" -- "$cur")) ;;
	recover) COMPREPLY=($(compgen -W "--boot --json --wait" -- "$cur")) ;;
	play)
		# the VMs of vm.conf (readable by all), then the options
		if [[ $cur != -* && $args -eq 0 ]]; then
			COMPREPLY=($(compgen -W "$(sed -n 's/^[[:space:]]*\[vm[[:space:]]\{1,\}\([A-Za-z0-9_-]\{1,\}\)[[:space:]]*\].*/\1/p' \
				"${SESSION_SWITCH_VM_CONF:-/etc/session-switch/vm.conf}" 2>/dev/null)" -- "$cur"))
		else COMPREPLY=($(compgen -W "--detach --json --wait" -- "$cur")); fi ;;
	esac
}
complete -F _session_switch session-switch
