//! Entry point of the app binary built by Trunk: mounting only, everything else is in the library.

fn main() {
    parvis::start();
}
