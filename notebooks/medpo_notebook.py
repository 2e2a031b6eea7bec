"""What every notebook does first, in one call: put medpo.py and data_prep.py (one folder up) on
the import path, keep library warnings out of the outputs, and say which cache and model to use.

  MEDPO_MODEL=<hub id or folder>   run the notebooks on a real model (default: the tiny demo model)
  MEDPO_CACHE=<folder>             where the demo world and the tiny model are built once
"""

import os
import sys
import warnings
from pathlib import Path


def setup():
    """(medpo, data_prep, cache folder, model): the two modules, imported."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    warnings.filterwarnings("ignore", category=FutureWarning)  # deprecations inside libraries
    warnings.filterwarnings("ignore", category=UserWarning, module="torch")
    warnings.filterwarnings("ignore", message="IProgress not found")  # tqdm.auto, no ipywidgets
    import transformers

    transformers.utils.logging.set_verbosity_error()
    transformers.utils.logging.disable_progress_bar()  # no "Loading weights" bars in the outputs
    import data_prep
    import medpo

    cache = Path(os.environ.get("MEDPO_CACHE", "~/.cache/medpo")).expanduser()
    return medpo, data_prep, cache, os.environ.get("MEDPO_MODEL", "tiny")
