"""allauth's forms in the centre's voice (issue 17): the password reset by e-mail is not
offered (staff accounts are reset by the administrator), so no "Nie pamiętasz hasła?" link to a
page that does not exist, and the help speaks in the formal register."""

from __future__ import annotations

from typing import Any

from allauth.account.forms import ChangePasswordForm

FORGOTTEN = (
    "Jeżeli nie pamiętają Państwo obecnego hasła, prosimy zwrócić się do administratora systemu."
)


class StaffChangePasswordForm(ChangePasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["oldpassword"].help_text = FORGOTTEN
