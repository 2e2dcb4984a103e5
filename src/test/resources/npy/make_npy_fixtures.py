#!/usr/bin/env python3
"""Writes the tiny .npy fixtures that io.lossprism.npy.NpyReaderTest reads.

Run from anywhere with numpy installed; the files land next to this script:
    python3 src/test/resources/npy/make_npy_fixtures.py
The generated files are committed, so the Java tests never need Python.
Corrupt files are not made here: the tests build those themselves.
"""
from pathlib import Path

import numpy as np
from numpy.lib import format as npformat

OUT = Path(__file__).resolve().parent

FLOATS = np.array([[0.0, 1.5, -2.25], [3.0, 1024.125, -0.5]])
INTS = np.array([[0, 1, -2], [3, 2**31 - 1, -(2**31)]])
BIG_INTS = np.array([[0, 1, -2], [3, 2**53, -(2**53)]])
BYTES = np.array([[0, 1, 2], [3, 254, 255]])
BOOLS = np.array([[True, False, True], [False, False, True]])
CUBE = (np.arange(24, dtype=np.float64) * 0.5 - 3).reshape(2, 3, 4)


def save(name, array, version=None):
    path = OUT / name
    with open(path, "wb") as f:
        npformat.write_array(f, array, version=version, allow_pickle=True)
    back = np.load(path, allow_pickle=True)
    assert back.dtype == array.dtype and back.shape == array.shape, name


def main():
    # each supported dtype, both byte orders (one-byte types have none)
    save("f4_le.npy", FLOATS.astype("<f4"))
    save("f4_be.npy", FLOATS.astype(">f4"))
    save("f8_le.npy", FLOATS.astype("<f8"))
    save("f8_be.npy", FLOATS.astype(">f8"))
    save("i4_le.npy", INTS.astype("<i4"))
    save("i4_be.npy", INTS.astype(">i4"))
    save("i8_le.npy", BIG_INTS.astype("<i8"))
    save("i8_be.npy", BIG_INTS.astype(">i8"))
    save("u1.npy", BYTES.astype("|u1"))
    save("b1.npy", BOOLS)

    # the same 2x3x4 cube in C and in Fortran order
    save("cube_c.npy", np.ascontiguousarray(CUBE))
    save("cube_fortran.npy", np.asfortranarray(CUBE))
    save("cube_fortran_f4_be.npy", np.asfortranarray(CUBE.astype(">f4")))
    save("u1_fortran.npy", np.asfortranarray(BYTES.astype("|u1")))

    # format versions 2.0 and 3.0 (1.0 is what numpy writes by default)
    save("f4_v2.npy", FLOATS.astype("<f4"), version=(2, 0))
    save("f4_v3.npy", FLOATS.astype("<f4"), version=(3, 0))

    # ranks and empty arrays
    save("rank0.npy", np.array(3.5))
    save("rank1.npy", np.array([1.0, 2.0, 4.0, 8.0, 16.0], dtype="<f4"))
    save("rank4.npy", (np.arange(12, dtype="<f4") - 6).reshape(2, 1, 3, 2))
    save("empty_0x3.npy", np.zeros((0, 3), dtype="<f4"))
    save("empty_fortran_3x0.npy", np.asfortranarray(np.zeros((3, 0), dtype="<f8")))

    # dtypes the reader refuses
    save("unsupported_f2.npy", np.array([1.0, 2.0], dtype="<f2"))
    save("unsupported_c8.npy", np.array([1 + 2j], dtype="<c8"))
    save("unsupported_i2.npy", np.array([1, 2], dtype="<i2"))
    save("unsupported_object.npy", np.array([1, "a"], dtype=object))
    save("unsupported_structured.npy", np.zeros(2, dtype=[("x", "<f4"), ("y", "<i4")]))


if __name__ == "__main__":
    main()
