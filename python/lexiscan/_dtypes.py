"""The pandas dtype of text columns, one answer for every module that builds a frame.

pandas 3 gives text columns its `str` dtype; saying so explicitly makes an empty frame have
the same dtypes as a full one. Older pandas keeps object columns.

>>> TEXT_DTYPE in ("str", object)
True
"""

from __future__ import annotations

import pandas as pd

TEXT_DTYPE: object = "str" if int(pd.__version__.split(".")[0]) >= 3 else object
