# Copyright 2026 session-switch developers
# Distributed under the terms of the session-switch license (none chosen yet)

EAPI=8

inherit acct-group

DESCRIPTION="The own group of the user the X check of session-switch runs as"
ACCT_GROUP_ID=-1
