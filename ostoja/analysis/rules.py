"""Who may see statistics (django-rules predicates).

Reports are aggregates: management, heads of unit, finance, the benefits clerk and the analyst
see every cell. What a cell's drill-down names is scoped again per case (unit subtree or
assignment, protected cases hidden — ``cases.selectors.cases_for_listing``): the analyst and
finance see the counts behind a cell, never a client's name or file.
"""

import rules

from ostoja.org.roles import Role
from ostoja.org.rules import has_role, is_head, is_management

is_analyst = has_role(Role.ANALYST)
is_finance = has_role(Role.FINANCE)
is_benefits_clerk = has_role(Role.BENEFITS_CLERK)

rules.add_perm(
    "analysis.view_reports",
    is_management | is_head | is_finance | is_benefits_clerk | is_analyst,
)

# The dashboard: what management, heads of unit, finance and the analyst decide from.
rules.add_perm("analysis.view_dashboard", is_management | is_head | is_finance | is_analyst)

# Policy what-if: who prepares policy for the council (aggregates; per-family traces stay with
# staff who may open the family's file).
rules.add_perm("analysis.run_whatif", is_management | is_finance | is_analyst)
rules.add_perm("analysis.record_submission", is_management | is_finance | is_analyst)
# The pseudonymised export is the analyst's (and management's) — no names, PESEL or addresses.
rules.add_perm("analysis.export_pseudonymised", is_management | is_analyst)
# The art. 110 ust. 9 report is the director's; the analyst drafts it with them.
rules.add_perm("analysis.edit_annual_report", is_management | is_analyst)
# Ocena zasobów pomocy społecznej (art. 16a): prepared by management with the analyst.
rules.add_perm("analysis.edit_resource_assessment", is_management | is_analyst)
