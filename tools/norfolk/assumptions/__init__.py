"""Every figure and choice the Norfolk build rests on, each with its basis and source.

Basis labels: S = sourced (stated in the public document named), D = derived arithmetically from sourced
figures, E = estimate (no direct source; docs/data.md lists these as assumptions a council would replace).
BUDGET.md, PARAMETERS.md and PROVISION.md are in data/sources/norfolk. The figures are kept by subject:
demand (years, need groups, phases, placement types), places (designations, suitability, existing settings),
projects (commitments and options), money (unit costs, income, spending lines, capital, transport,
parameters) and published (the council's published figures and the reconciliation).
"""

from tools.norfolk.assumptions.demand import *  # noqa: F403
from tools.norfolk.assumptions.money import *  # noqa: F403
from tools.norfolk.assumptions.places import *  # noqa: F403
from tools.norfolk.assumptions.projects import *  # noqa: F403
from tools.norfolk.assumptions.published import *  # noqa: F403
