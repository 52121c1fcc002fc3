"""assetreg: register poverty-alleviation project assets (扶贫/帮扶项目资产).

The facade: the stable public names. Importing it never imports SQLAlchemy, marshmallow
or any other adapter library.
"""

from assetreg.domain.codes import AdminCode, AdminLevel, CreditCode, ResidentId
from assetreg.domain.money import Money, RoundingMode, round_fen
from assetreg.domain.periods import Period
from assetreg.domain.shares import check_shares_sum_to_one, parse_share
from assetreg.errors import AssetRegError

__all__ = [
    "AdminCode",
    "AdminLevel",
    "AssetRegError",
    "CreditCode",
    "Money",
    "Period",
    "ResidentId",
    "RoundingMode",
    "check_shares_sum_to_one",
    "parse_share",
    "round_fen",
]

__version__ = "0.1.0"
