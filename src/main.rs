fn main() -> std::process::ExitCode {
    prongsai::cli::main()
}
