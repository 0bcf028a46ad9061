fn main() -> std::process::ExitCode {
    didtron::cli::main()
}
