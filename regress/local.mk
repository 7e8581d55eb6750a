# regress/: C unit tests (regress/unit) and the regression runner (regress/run.sh).
#
# Every regress/unit/test_*.c becomes a check program through the generated
# fragment regress/unit/tests.mk (see regress/unit/gen-tests.sh).  `make check`
# builds them (and the test clients in contrib/); `make regress` runs the whole
# suite (the runner builds each check program itself and counts a build
# failure as a failed test).
include $(top_srcdir)/regress/unit/tests.mk

# A new or changed test file regenerates the fragment; automake's own rules
# then rebuild Makefile.in and Makefile.  (GNU make: configure.ac passes
# -Wno-portability.)
$(top_srcdir)/regress/unit/tests.mk: $(wildcard $(top_srcdir)/regress/unit/test_*.c)
	$(AM_V_GEN)$(SHELL) $(top_srcdir)/regress/unit/gen-tests.sh

EXTRA_DIST += regress/run.sh regress/unit/gen-tests.sh regress/unit/lmtest.h \
	regress/lib/server.sh regress/lib/laminar_server.py

.PHONY: regress
regress: all
	LM_BUILDDIR=$(abs_top_builddir) $(SHELL) $(top_srcdir)/regress/run.sh

clean-local: regress-clean
.PHONY: regress-clean
regress-clean:
	rm -rf $(top_builddir)/regress/results
