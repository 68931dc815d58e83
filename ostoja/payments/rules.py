"""Who may do what with payments (django-rules predicates).

- The benefits clerk (specjalista ds. świadczeń) and finance may run the month: the clerk
  prepares the lists from the decisions; only finance (księgowość) approves and locks a list,
  exports bank files, imports statements, keeps receivables and the budget plan.
- Management sees everything read-only; the analyst sees the plan-versus-execution report only.
"""

import rules

from ostoja.org.roles import Role
from ostoja.org.rules import has_role, is_management

is_finance = has_role(Role.FINANCE)
is_benefits_clerk = has_role(Role.BENEFITS_CLERK)
is_analyst = has_role(Role.ANALYST)

rules.add_perm("payments.view_payments", is_finance | is_benefits_clerk | is_management)
rules.add_perm("payments.run_payroll", is_finance | is_benefits_clerk)
rules.add_perm("payments.approve_list", is_finance)
rules.add_perm("payments.export_bank_file", is_finance)
rules.add_perm("payments.import_statement", is_finance)
rules.add_perm("payments.reissue_payment", is_finance | is_benefits_clerk)
rules.add_perm("payments.view_receivables", is_finance | is_benefits_clerk | is_management)
rules.add_perm("payments.manage_receivables", is_finance)
rules.add_perm("payments.view_health", is_finance | is_benefits_clerk | is_management)
rules.add_perm("payments.view_budget", is_finance | is_management | is_analyst)
rules.add_perm("payments.manage_budget", is_finance)
