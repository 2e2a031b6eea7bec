"""What every notebook does first, and the few display helpers they share (none of them is part of
the method: the method is imported from the project, never copied here).

  MEDPO_MODEL=<hub id or folder>   run the notebooks on a real model (default: the tiny demo model)
  MEDPO_CACHE=<folder>             where the demo world is built once (default: ~/.cache/medpo)
"""

import inspect
import os
import sys
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


def setup():
    """(medpo, data_prep, cache folder, model): put the project (one folder up) on the import
    path, keep library warnings and progress bars out of the outputs, set readable figures."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    warnings.filterwarnings("ignore", category=FutureWarning)  # deprecations inside libraries
    warnings.filterwarnings("ignore", category=UserWarning, module="torch")
    warnings.filterwarnings("ignore", message="IProgress not found")  # tqdm.auto, no ipywidgets
    import matplotlib.pyplot as plt
    import transformers

    transformers.utils.logging.set_verbosity_error()
    transformers.utils.logging.disable_progress_bar()  # no "Loading weights" bars in the outputs
    plt.rcParams.update(
        {"figure.dpi": 100, "axes.titlesize": 12, "axes.labelsize": 11, "legend.fontsize": 10}
    )
    import data_prep
    import medpo

    cache = Path(os.environ.get("MEDPO_CACHE", "~/.cache/medpo")).expanduser()
    return medpo, data_prep, cache, os.environ.get("MEDPO_MODEL", "tiny")


def demo_world(cache: Path, model: str = "tiny") -> Path:
    """The demo world's folder. The first run builds it in the cache (900 images, about 10 s on
    a laptop CPU) and prints how far it has got every two seconds; later runs find it there.
    Says which model the notebook runs (the tiny one ships with the project)."""
    import demo
    import tiny_models

    folder = cache / f"demo-{demo.demo_version()}"
    total = sum(demo.DEMO_SPLITS.values())
    if not (folder / "test.jsonl").exists():
        print(f"First run: building the demo world in the cache, once ({total} images) ...")
        start = time.time()
        with ThreadPoolExecutor(1) as pool:
            job = pool.submit(demo.ensure_demo, cache)
            while not job.done():
                time.sleep(2)
                made = len(list(cache.glob(".demo.*/images/*.png")))
                print(f"  {min(made, total)} of {total} images ({time.time() - start:.0f} s)")
            job.result()  # raises what the build raised
        print(f"built in {time.time() - start:.0f} s; later runs read it from the cache")
    questions = {s: len((folder / f"{s}.jsonl").read_text().splitlines()) for s in demo.DEMO_SPLITS}
    listed = ", ".join(
        f"{s} {demo.DEMO_SPLITS[s]} images / {n} questions" for s, n in questions.items()
    )
    print(f"demo world ({total} images): {listed}")
    if model != "tiny":
        print(f"model: {model}")
        return folder
    shipped = tiny_models.SHIPPED / f"tiny-llava-{demo.demo_version(tiny_models.DEMO_WARM_UP)}"
    if (shipped / "config.json").exists():
        print("model: the demo's warmed-up tiny LLaVA, shipped with the project (demo_model/)")
    else:  # the demo's settings were changed: the tiny model is warmed up again, once
        print("model: the demo's tiny LLaVA is warmed up once in the cache (a few minutes) ...")
        import data_prep

        data_prep.model_source(model, str(cache))
        print("model: the demo's tiny LLaVA, warmed up in the cache")
    return folder


def show_source(*functions) -> None:
    """Show the source of project functions, highlighted: what a reader would copy."""
    from IPython.display import Markdown, display

    text = "\n\n".join(inspect.getsource(f).rstrip() for f in functions)
    display(Markdown(f"```python\n{text}\n```"))


def needs(function) -> str:
    """What else to copy with a function: the 'Needs:' line of its docstring ('' if none)."""
    doc = " ".join((inspect.getdoc(function) or "").split())
    return doc.split("Needs:", 1)[1].strip() if "Needs:" in doc else ""


def show_table(header, rows) -> None:
    """A table, rendered: header a list of column names, rows lists of cells (already text)."""
    from IPython.display import Markdown, display

    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    display(Markdown("\n".join(lines)))


def show_image(ax, image, box=None, title="", zoom=None, margin=6):
    """An image with its lesion box (pixel corners x0, y0, x1, y1) outlined in red and, with
    zoom (by default: when the box is under a sixth of the image's width or height), the box and
    a margin enlarged in an inset with a yellow frame, so that a small box can be seen. Axes
    carry pixel coordinates."""
    import matplotlib.pyplot as plt

    ax.imshow(image, cmap="gray", vmin=0, vmax=255, interpolation="nearest")
    ax.set_title(title)
    ax.set_xlabel("x (px)")
    ax.set_ylabel("y (px)")
    if box is None:
        return
    x0, y0, x1, y1 = box
    w, h = image.size
    ax.add_patch(plt.Rectangle((x0 - 0.5, y0 - 0.5), x1 - x0, y1 - y0, fill=False, ec="red"))
    if zoom is None:
        zoom = x1 - x0 < w / 6 or y1 - y0 < h / 6
    if zoom:  # in the corner away from the box
        left = (x0 + x1) / 2 > w / 2
        top = (y0 + y1) / 2 > h / 2  # inset_axes counts y from the bottom
        inset = ax.inset_axes([0.02 if left else 0.58, 0.58 if top else 0.02, 0.4, 0.4])
        inset.imshow(image, cmap="gray", vmin=0, vmax=255, interpolation="nearest")
        inset.set_xlim(max(x0 - margin, 0) - 0.5, min(x1 + margin, w) - 0.5)
        inset.set_ylim(min(y1 + margin, h) - 0.5, max(y0 - margin, 0) - 0.5)
        inset.add_patch(
            plt.Rectangle((x0 - 0.5, y0 - 0.5), x1 - x0, y1 - y0, fill=False, ec="red", lw=1)
        )
        inset.set_xticks([])
        inset.set_yticks([])
        for spine in inset.spines.values():
            spine.set_edgecolor("yellow")
            spine.set_linewidth(2)
        ax.indicate_inset_zoom(inset, edgecolor="yellow")
