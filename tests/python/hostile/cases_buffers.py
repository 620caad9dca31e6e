"""Buffer lifetimes: a view of an argument's buffer returned to Python must hold the buffer
export, as np.frombuffer's arrays do, so resizing or closing the owner raises BufferError
while the view lives (and succeeds once it is gone); arrays made in compiled code outlive
the call; results are shared across threads; arguments returned unchanged."""

from .corpus import Case, Returns, Same

TAIL = "import gc\n\n@njit\ndef tail(a):\n    return a[1:]\n"


def tail(body: str) -> str:
    from textwrap import dedent

    return TAIL + dedent(body)


CASES = [
    Case(
        "bytearray_view_blocks_resize",
        tail(
            """
            def f():
                ba = bytearray(b"abcdef")
                view = tail(ba)
                try:
                    ba.extend(b"x" * 4096)
                except BufferError:
                    return "BufferError", bytes(view)
                return "resized", bytes(view)
            """
        ),
        expect=Returns("('BufferError', b'bcdef')"),
    ),
    Case(
        "bytearray_resize_after_view_dropped",
        tail(
            """
            def f():
                ba = bytearray(b"abcdef")
                view = tail(ba)
                first = int(view[0])
                del view
                gc.collect()
                ba.extend(b"xy")
                return first, bytes(ba)
            """
        ),
        expect=Returns("(98, b'abcdefxy')"),
    ),
    Case(
        "mmap_view_blocks_close",
        tail(
            """
            import mmap

            def f():
                mm = mmap.mmap(-1, 4096)
                mm[:4] = b"wxyz"
                view = tail(mm)
                try:
                    mm.close()
                except BufferError:
                    return "BufferError", bytes(view[:3])
                return "closed", bytes(view[:3])
            """
        ),
        expect=Returns("('BufferError', b'xyz')"),
    ),
    Case(
        "array_array_view_blocks_append",
        tail(
            """
            import array

            def f():
                arr = array.array("d", [1.0, 2.0, 3.0])
                view = tail(arr)
                try:
                    for _ in range(1000):
                        arr.append(9.0)
                except BufferError:
                    return "BufferError", view.tolist()
                return "appended", view.tolist()
            """
        ),
        expect=Returns("('BufferError', [2.0, 3.0])"),
    ),
    Case(
        "memoryview_view_blocks_release",
        tail(
            """
            def f():
                ba = bytearray(b"abcdef")
                mv = memoryview(ba)
                view = tail(mv)
                # As with np.frombuffer(mv): the memoryview may be released, but the view
                # keeps the bytearray's buffer exported, so its memory stays valid.
                mv.release()
                try:
                    ba.extend(b"x")
                except BufferError:
                    return "BufferError", bytes(view)
                return "resized", bytes(view)
            """
        ),
        expect=Returns("('BufferError', b'bcdef')"),
    ),
    Case(
        "frombuffer_behaves_the_same",
        """
        def f():
            ba = bytearray(b"abcdef")
            view = np.frombuffer(ba, dtype=np.uint8)[1:]
            try:
                ba.extend(b"x")
            except BufferError:
                return "BufferError"
            return "resized"
        """,
        expect=Returns("'BufferError'"),
    ),
    Case(
        "view_of_view_holds_owner",
        tail(
            """
            def f():
                ba = bytearray(b"abcdefgh")
                inner = tail(tail(ba))
                try:
                    ba.extend(b"x")
                except BufferError:
                    return "BufferError", bytes(inner)
                return "resized", bytes(inner)
            """
        ),
        expect=Returns("('BufferError', b'cdefgh')"),
    ),
    Case(
        "released_memoryview_argument",
        """
            @njit
            def f(a):
                return a[0]

            def g():
                mv = memoryview(bytearray(b'ab'))
                mv.release()
                return f(mv)
        """,
        call="g()",
    ),
    Case(
        "closed_mmap_argument",
        """
            import mmap

            @njit
            def f(a):
                return a[0]

            def g():
                mm = mmap.mmap(-1, 16)
                mm.close()
                return f(mm)
        """,
        call="g()",
        expect=Same(refuse=(ValueError, TypeError, BufferError)),
    ),
    Case(
        "view_of_numpy_argument_outlives_it",
        tail(
            """
            def f():
                a = np.arange(1000.0)
                view = tail(a)
                del a
                gc.collect()
                filler = [np.full(1000, -1.0) for _ in range(50)]
                return view.sum(), len(filler)
            """
        ),
    ),
    Case(
        "view_of_compiled_array_outlives_call",
        """
        import gc

        @njit
        def middle(n):
            a = np.arange(n) * 1.5
            return a[2:5]

        def f():
            view = middle(100)
            gc.collect()
            filler = [middle(100) for _ in range(50)]
            return view, len(filler)
        """,
    ),
    Case(
        "returned_arrays_used_from_threads",
        """
        import threading

        @njit
        def make(n):
            return np.arange(n) + 0.5

        @njit
        def add(a, b):
            return (a + b).sum()

        def f():
            made = make(10000)
            out = []
            work = lambda: out.append(add(made, made[::-1]))  # noqa: E731
            threads = [threading.Thread(target=work) for _ in range(8)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            return sorted(out)
        """,
    ),
    Case(
        "store_into_bytes_argument",
        "@njit\ndef f(a):\n    a[0] = 65\n    return a\n",
        call="f(b'abc')",
    ),
    Case(
        "readonly_memoryview_store",
        "@njit\ndef f(a):\n    a[0] = 65\n    return a[0]\n",
        call="f(memoryview(b'abc'))",
    ),
    Case(
        "strided_memoryview_argument",
        "@njit\ndef f(a):\n    return a[0] + a[len(a) - 1]\n",
        call="f(memoryview(np.arange(10.0))[::3])",
    ),
    Case(
        "memoryview_cast_argument",
        "@njit\ndef f(a):\n    return a[1] + a[-1]\n",
        call="f(memoryview(np.arange(4.0).tobytes()).cast('d'))",
    ),
    Case(
        "bytearray_tail_mutation_visible",
        tail(
            """
            def f():
                ba = bytearray(b"abc")
                view = tail(ba)
                ba[2] = ord("z")
                return bytes(view)
            """
        ),
        expect=Returns("b'bz'"),
    ),
    # Another thread resizes the buffer a compiled call (without the GIL) is reading: the
    # export the call holds refuses it, as for any other exporter.
    Case(
        "resize_from_other_thread_during_call",
        """
        import threading
        import time

        @njit(nogil=True)
        def slow_sum(a, rounds):
            s = 0
            for r in range(rounds):
                for i in range(len(a)):
                    s += a[i]
            return s

        def f():
            ba = bytearray(b"\\x01" * 100000)
            slow_sum(ba, 1)
            outcome = []

            def resize():
                time.sleep(0.05)
                try:
                    ba.extend(b"\\x00" * 10**6)
                    outcome.append("resized")
                except BufferError:
                    outcome.append("BufferError")

            other = threading.Thread(target=resize)
            other.start()
            total = slow_sum(ba, 100000)
            other.join()
            return outcome, total
        """,
        expect=Returns("(['BufferError'], 100000 * 100000)"),
    ),
]
