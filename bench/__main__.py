"""`make bench`: every benchmark, each path printed beside its floor from the same run."""

import warnings

warnings.filterwarnings("ignore", message="\nEventlet is deprecated")
import eventlet  # noqa: E402

eventlet.monkey_patch()

from bench import floors  # noqa: E402


def main() -> None:
    floors.main()


main()
