# Copyright 2026 session-switch developers
# Distributed under the terms of the session-switch license (none chosen yet)

EAPI=8

inherit acct-group

DESCRIPTION="The users who may switch the GPU with session-switch"
# an overlay's dynamic id; ::gentoo would assign a fixed one
ACCT_GROUP_ID=-1
