"""Use cases: what a command does between reading its options and printing its result.

Each module owns the decisions of one noun (``cohorts``, ``roster``, ``attendance``,
``scores``, ``certificates``, ``privacy``) and ``outcomes`` the assessment they share. A
service takes the store and plain values, returns records and raises the project's errors;
it never prints (what must be said comes back as data or through a callback), never reads
the clock where a ``today`` can be passed, and never imports a command module.

Every check that decides a write runs inside ``Store.write()``: BEGIN IMMEDIATE holds the
lock, so what was checked is what is written even when another process writes at once.
"""
