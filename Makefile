# Two entry points: `make lab` and `make test`. Both build .venv the same way first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

OLD := .venv-oldest
OLD_STAMP := $(OLD)/.installed-stamp
ONE_THREAD := OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1

.PHONY: lab test matrix test-oldest notebooks teacher lint format bench checkpoint clean site

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,site]'
	touch $(STAMP)

# JupyterLab refuses to start as root (containers, CI) unless told it may.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

lab: $(STAMP)
	$(BIN)/jupyter lab $(ROOT_FLAG) notebooks/

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Every check on this machine as it is, then the notebooks and their claims on the other
# machines this one can simulate (numpy SIMD levels x OpenBLAS kernels, a noisier libm), then
# the notebooks and the exercise checks in Pyodide under Node, as the browser runs them.
test: lint
	$(ONE_THREAD) $(BIN)/python scripts/build_site.py --if-stale
	$(ONE_THREAD) $(BIN)/python -m pytest --nbval
	$(BIN)/python scripts/machine_matrix.py --skip-current --max 6
	$(BIN)/python scripts/pyodide_machine.py

matrix: $(STAMP)
	$(BIN)/python scripts/machine_matrix.py

# The same tests (but the browser ones) and the matrix with the oldest versions pyproject.toml
# allows, in a venv of their own.
$(OLD_STAMP): pyproject.toml scripts/oldest_pins.py
	$(PYTHON) -m venv $(OLD)
	$(OLD)/bin/python -m pip install --quiet --upgrade pip
	mkdir -p build
	$(PYTHON) scripts/oldest_pins.py > build/oldest-pins.txt
	$(OLD)/bin/python -m pip install --quiet -e '.[test,site]' -c build/oldest-pins.txt
	touch $(OLD_STAMP)

test-oldest: $(OLD_STAMP)
	$(ONE_THREAD) $(OLD)/bin/python -m pytest --nbval -m "not browser"
	$(OLD)/bin/python scripts/machine_matrix.py --skip-current

# The course site: every notebook as a static page whose views work with no kernel (site/,
# gitignored; open with `python -m http.server -d site`). `make test` rebuilds it when stale.
site: $(STAMP)
	$(ONE_THREAD) $(BIN)/python scripts/build_site.py

# Re-run the four notebooks in place (after changing what they show); widget state not stored.
notebooks: $(STAMP)
	$(ONE_THREAD) $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
		--ExecutePreprocessor.store_widget_state=False notebooks/0*.ipynb

# The teacher's copy of notebooks/05_exercises.ipynb: the reference solutions (tests/solutions)
# filled in and run, written to build/teacher/; fails unless every check passes.
teacher: $(STAMP)
	$(ONE_THREAD) $(BIN)/python scripts/teacher_copy.py

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP)
	$(ONE_THREAD) $(BIN)/python benchmarks/train_throughput.py

checkpoint: $(STAMP)
	OPENBLAS_NUM_THREADS=1 $(BIN)/python scripts/train_corpus_model.py

clean:
	rm -rf $(VENV) $(OLD) build .pytest_cache .ruff_cache
