# Sourced by the scripts that build a throwaway crate (build-cost.sh, rebuild-turns.sh,
# compile-cost.sh, catalog.sh), so that every such crate is made one way.
#
# scratch_crate DIR NAME LOCK DEPENDENCIES: DIR emptied and made a crate named NAME that is
# its own workspace (no enclosing workspace claims it), with DEPENDENCIES (lines of TOML)
# and LOCK, a Cargo.lock, copied in for the third-party versions. The caller writes src/
# and may append more tables to its Cargo.toml ([features], [lints.rust], ...).
scratch_crate() {
  local dir=$1 name=$2 lock=$3 dependencies=$4
  rm -rf "$dir"
  mkdir -p "$dir/src"
  cat > "$dir/Cargo.toml" <<TOML
[package]
name = "$name"
version = "0.0.0"
edition = "2021"
publish = false
[workspace]
[dependencies]
$dependencies
TOML
  cp "$lock" "$dir/Cargo.lock"
}

# packaged_crate DIR NAME DEPENDENCIES: scratch_crate with this workspace's Cargo.lock, and
# the packages of scripts/package.sh patched in for crates.io's (target/packaging/patch.toml),
# so that the crate builds the SDK as a user gets it.
packaged_crate() {
  scratch_crate "$1" "$2" Cargo.lock "$3"
  mkdir -p "$1/.cargo"
  cp target/packaging/patch.toml "$1/.cargo/config.toml"
}

# source_state: what the working tree is, for packages made from it: the commit, and a hash
# of every change since (untracked files by name).
source_state() {
  { git rev-parse HEAD; git diff HEAD; git status --porcelain -uall; } | sha256sum | cut -d' ' -f1
}

# packages_of_this_tree: the packages of scripts/package.sh (--no-users), made again unless
# target/packaging holds this tree's already: a figure measured on packages left by an
# earlier commit would be that commit's.
packages_of_this_tree() {
  if [ "$(cat target/packaging/made-from 2>/dev/null)" != "$(source_state)" ]; then
    scripts/package.sh --no-users
  fi
}
