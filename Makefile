# Thin front over CMake + Ninja. `make run` and `make test` are the two
# commands of the README; both install what is missing first.
BUILD ?= build
JOBS ?= $(shell nproc)

.PHONY: all bootstrap build run test bench clean format deb

all: build

bootstrap:
	@scripts/bootstrap

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

run: bootstrap
	@$(MAKE) --no-print-directory build
	@scripts/run-demo

test: bootstrap
	@$(MAKE) --no-print-directory build
	@scripts/test

bench: bootstrap
	@$(MAKE) --no-print-directory build
	@scripts/bench
	@scripts/bench-web
	@scripts/bench-mail
	@/usr/bin/python3 bench/slow_clients.py --front
	@AMIABLE_BIN=build/amiable python3 bench/signin_flood.py

format:
	clang-format -i $$(git ls-files 'src/*.cc' 'src/*.h' 'bench/*.cc')

clean:
	rm -rf $(BUILD)

# The Debian package (issue 11): the program only, then CPack's DEB generator
# (deploy/package.cmake): $(BUILD)/amiable_<version>_amd64.deb.
deb: $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS) --target amiable amiable_web_assets
	cd $(BUILD) && cpack -G DEB
