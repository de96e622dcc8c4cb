//! The splitter (`wasm-split-cli`, run by build.sh) cuts the module at `#[lazy]` functions and
//! lazy routes, and needs the linker's relocations to do it. Only the final link changes, so
//! nothing else is rebuilt for it.
fn main() {
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg-bins=--emit-relocs");
    }
}
