"""Cache files (`cache=True`): whatever is found in place of an entry (a truncated or
corrupted file, a FIFO, a directory, a symlink to a device or nowhere, a huge sparse file),
wherever the cache directory points (a file, a FIFO, an impossible path), and however many
processes race on it, the next process never hangs, never crashes, and gives the right
result. Each case fills the cache from one child interpreter, tampers with it, and runs a
second child with a timeout."""

from textwrap import dedent

from .corpus import Case, Returns

SETUP = '''
import os
import pathlib
import threading

KERNEL = """
import numpy as np
import nogil

@nogil.njit(cache=True)
def kernel(n):
    a = np.arange(n) * 2.0
    s = 0.0
    for i in range(n):
        s += a[i] * i
    return s
"""
EXPECTED = str(sum(2.0 * i * i for i in range(50)))


def run_kernel(env=None):
    # Atomically: runs from many threads at once must never import a half-written file.
    staged = workdir / f"kern.py.{threading.get_ident()}"
    staged.write_text(KERNEL)
    os.replace(staged, workdir / "kern.py")
    done = run_python(
        "import kern; print(kern.kernel(50), kern.kernel.stats.get('cache_hits', '-'))",
        cwd=workdir,
        env={"PYTHONPATH": str(workdir), **(env or {})},
        timeout=30,
    )
    if done.returncode != 0:
        return "failed: " + done.stderr.strip().splitlines()[-1]
    return done.stdout.split()[0]


def entries(directory=None):
    found = sorted((directory or workdir / "__pycache__").glob("*.nogil"))
    assert found, "no cache entry was written"
    return found
'''

FILLED_OK = Returns("('" + str(sum(2.0 * i * i for i in range(50))) + "',) * 2")


def tamper(body: str) -> str:
    return SETUP + dedent(body)


def tampered_entry(action: str) -> str:
    """A case body: fill, apply `action` to each entry path `entry`, run twice."""
    return tamper(
        f"""
        def f():
            run_kernel()
            for entry in entries():
                {action}
            return run_kernel(), run_kernel()
        """
    )


CASES = [
    Case(
        "entry_truncated_to_half",
        tampered_entry("entry.write_bytes(entry.read_bytes()[: entry.stat().st_size // 2])"),
        expect=FILLED_OK,
    ),
    Case("entry_truncated_to_zero", tampered_entry("entry.write_bytes(b'')"), expect=FILLED_OK),
    Case(
        "entry_truncated_to_header",
        tampered_entry("entry.write_bytes(entry.read_bytes()[:16])"),
        expect=FILLED_OK,
    ),
    Case(
        "entry_bit_flipped_in_middle",
        tampered_entry(
            "data = bytearray(entry.read_bytes()); data[len(data) // 2] ^= 0x40; "
            "entry.write_bytes(bytes(data))"
        ),
        expect=FILLED_OK,
    ),
    Case(
        "entry_bytes_flipped_in_header",
        tampered_entry(
            "data = bytearray(entry.read_bytes()); data[8:24] = b'\\xff' * 16; "
            "entry.write_bytes(bytes(data))"
        ),
        expect=FILLED_OK,
    ),
    Case(
        "entry_replaced_by_fifo",
        tampered_entry("entry.unlink(); os.mkfifo(entry)"),
        expect=FILLED_OK,
        timeout=90,
    ),
    Case(
        "entry_replaced_by_directory",
        tampered_entry("entry.unlink(); entry.mkdir()"),
        expect=FILLED_OK,
    ),
    Case(
        "entry_symlink_to_dev_zero",
        tampered_entry("entry.unlink(); entry.symlink_to('/dev/zero')"),
        expect=FILLED_OK,
        timeout=90,
    ),
    Case(
        "entry_symlink_to_urandom",
        tampered_entry("entry.unlink(); entry.symlink_to('/dev/urandom')"),
        expect=FILLED_OK,
        timeout=90,
    ),
    Case(
        "entry_dangling_symlink",
        tampered_entry("entry.unlink(); entry.symlink_to(workdir / 'nowhere')"),
        expect=FILLED_OK,
    ),
    Case("entry_huge_sparse_file", tampered_entry("os.truncate(entry, 1 << 40)"), expect=FILLED_OK),
    Case(
        "entry_garbage_of_same_size",
        tampered_entry("entry.write_bytes(os.urandom(entry.stat().st_size))"),
        expect=FILLED_OK,
    ),
    Case(
        "pycache_replaced_by_file",
        tamper(
            """
            import shutil

            def f():
                run_kernel()
                shutil.rmtree(workdir / "__pycache__")
                (workdir / "__pycache__").write_text("not a directory")
                return run_kernel(), run_kernel()
            """
        ),
        expect=FILLED_OK,
    ),
    Case(
        "cache_dir_env_is_a_file",
        tamper(
            """
            def f():
                target = workdir / "plain-file"
                target.write_text("x")
                env = {"NOGIL_CACHE_DIR": str(target)}
                return run_kernel(env), run_kernel(env)
            """
        ),
        expect=FILLED_OK,
    ),
    Case(
        "cache_dir_env_under_a_file",
        tamper(
            """
            def f():
                (workdir / "plain-file").write_text("x")
                env = {"NOGIL_CACHE_DIR": str(workdir / "plain-file" / "cache")}
                return run_kernel(env), run_kernel(env)
            """
        ),
        expect=FILLED_OK,
    ),
    Case(
        "cache_dir_env_is_a_fifo",
        tamper(
            """
            def f():
                os.mkfifo(workdir / "fifo")
                env = {"NOGIL_CACHE_DIR": str(workdir / "fifo")}
                return run_kernel(env), run_kernel(env)
            """
        ),
        expect=FILLED_OK,
        timeout=90,
    ),
    Case(
        "cache_dir_env_is_dev_null",
        tamper(
            """
            def f():
                env = {"NOGIL_CACHE_DIR": "/dev/null"}
                return run_kernel(env), run_kernel(env)
            """
        ),
        expect=FILLED_OK,
    ),
    Case(
        "cache_dir_env_empty_string",
        tamper(
            """
            def f():
                env = {"NOGIL_CACHE_DIR": ""}
                return run_kernel(env), run_kernel(env)
            """
        ),
        expect=FILLED_OK,
    ),
    Case(
        "cache_dir_read_only_mount",
        tamper(
            """
            def f():
                env = {"NOGIL_CACHE_DIR": "/proc/self"}
                return run_kernel(env), run_kernel(env)
            """
        ),
        expect=FILLED_OK,
    ),
    Case(
        "processes_racing_on_one_cache",
        tamper(
            """
            from concurrent.futures import ThreadPoolExecutor

            def f():
                with ThreadPoolExecutor(6) as pool:
                    first = list(pool.map(lambda _: run_kernel(), range(6)))
                with ThreadPoolExecutor(6) as pool:
                    second = list(pool.map(lambda _: run_kernel(), range(6)))
                return len(set(first + second)), first[0], len(entries())
            """
        ),
        expect=Returns("(1, '" + str(sum(2.0 * i * i for i in range(50))) + "', 1)"),
        timeout=120,
    ),
    Case(
        "source_edited_between_processes",
        tamper(
            """
            def f():
                first = run_kernel()
                global KERNEL
                KERNEL = KERNEL.replace("* 2.0", "* 3.0")
                return first, run_kernel()
            """
        ),
        expect=Returns(
            "('"
            + str(sum(2.0 * i * i for i in range(50)))
            + "', '"
            + str(sum(3.0 * i * i for i in range(50)))
            + "')"
        ),
    ),
    # Functions without a source file of their own, cached: compiled and right, wherever
    # (or whether) an entry is written.
    Case(
        "cache_for_command_line_function",
        "import nogil\n\n@nogil.njit(cache=True)\ndef f(x):\n    return x + 1\n",
        call="(f(1), f(2.5))",
        mode="command",
        expect=Returns("(2, 3.5)"),
    ),
    Case(
        "cache_for_linecache_function",
        """
        import linecache

        def f():
            text = "def g(x):\\n    return x * 2\\n"
            name = "<hostile-cached>"
            linecache.cache[name] = (len(text), None, text.splitlines(True), name)
            namespace = {}
            exec(compile(text, name, "exec"), namespace)
            return njit(cache=True)(namespace["g"])(21)
        """,
        expect=Returns("42"),
    ),
    Case(
        "stale_temporary_files_in_cache",
        tamper(
            """
            def f():
                run_kernel()
                for k in range(3):
                    junk = os.urandom(64)
                    (workdir / "__pycache__" / f"kern.kernel.{k}.nogil.tmp").write_bytes(junk)
                    (workdir / "__pycache__" / f"junk{k}.nogil").write_bytes(os.urandom(64))
                return run_kernel(), run_kernel()
            """
        ),
        expect=FILLED_OK,
    ),
]
