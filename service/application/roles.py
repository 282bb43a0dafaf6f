"""Who may do what: the roles each use case requires, reached over the unit's path."""

from __future__ import annotations

from service.domain.vocabulary import Role

#: Who records money in and out of a fund, and the pledges made to it.
MONEY_WRITERS = {Role.TREASURER}
#: Who registers the units of the tree.
UNIT_REGISTRARS = {Role.ADMIN}
#: Who opens a unit's funds.
FUND_OPENERS = {Role.ADMIN, Role.TREASURER}
#: Who registers a witness of the log's checkpoints and cosigns them.
AUDITORS = {Role.ADMIN, Role.INSPECTOR}
#: Who may open a review; findings and the conclusion belong to the board that opened it.
REVIEWERS = {Role.ADMIN, Role.INSPECTOR}
#: Who answers the people's questions about a unit's entries: its board and its treasurer.
QUESTION_ANSWERERS = {Role.ADMIN, Role.INSPECTOR, Role.TREASURER, Role.APPROVER}
#: Who thanks a fund's donors in the unit's name: its treasurer, its chair, an admin.
THANKS_WRITERS = {Role.ADMIN, Role.TREASURER, Role.APPROVER}
#: Who may answer a finding for the reviewed unit.
RESPONDERS = {Role.ADMIN, Role.TREASURER, Role.APPROVER}
#: Who decides on payments above a unit's approval threshold: the head of the unit's board.
APPROVERS = {Role.APPROVER}
#: Who sets the controls over a treasurer's entries: the approval threshold and the
#: plausibility limit. Treasurers may not loosen a control over their own entries.
CONTROLLERS = {Role.ADMIN, *APPROVERS}
#: Who registers households and records their cases: the unit's treasurer, who pays them.
CASE_WRITERS = {Role.ADMIN, Role.TREASURER}
#: Who honours a request to erase a household's personal data: the head of the unit's board.
ERASERS = {Role.ADMIN, Role.APPROVER}
#: Who merges a unit into its successor (the 2025 reorganisation): the level above,
#: through the head of its board; a treasurer alone may not close a unit's books.
MERGERS = {Role.ADMIN, Role.APPROVER}
#: Who assigns a unit its yearly targets: the level above, through its board or treasurer.
TARGET_SETTERS = {Role.ADMIN, Role.APPROVER, Role.TREASURER}
#: Who registers people's accounts, issues their activation links and disables them.
ACCOUNT_ISSUERS = {Role.ADMIN}
#: Who launches a campaign (cuộc vận động) of a unit: its board or its treasurer, or the
#: level above.
CAMPAIGN_LAUNCHERS = {Role.ADMIN, Role.APPROVER, Role.TREASURER}
