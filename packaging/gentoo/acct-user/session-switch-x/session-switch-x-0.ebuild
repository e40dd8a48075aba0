# Copyright 2026 session-switch developers
# Distributed under the terms of the session-switch license (none chosen yet)

EAPI=8

inherit acct-user

DESCRIPTION="The user the X check of session-switch runs as (never root)"
ACCT_USER_ID=-1
ACCT_USER_GROUPS=( session-switch-x )

acct-user_add_deps
