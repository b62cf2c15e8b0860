//! The README's rule table matches the registry.

#[test]
fn readme_rule_table_matches_docdrift_rules() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README.md");
    let start = readme.find("<!-- rules:start -->\n").expect("rules:start marker") + "<!-- rules:start -->\n".len();
    let end = readme.find("<!-- rules:end -->").expect("rules:end marker");
    let expected = docdrift::cli::rules_table();
    assert_eq!(
        &readme[start..end],
        expected,
        "README rule table is out of date; replace it with the output of `docdrift rules`"
    );
}

#[test]
fn readme_has_exactly_two_setup_commands() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README.md");
    let setup = readme.split("## Set up").nth(1).expect("a Set up section");
    let block = setup.split("```sh\n").nth(1).and_then(|b| b.split("```").next()).expect("a sh block");
    let commands: Vec<&str> = block.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(commands.len(), 2, "{commands:?}");
    assert!(commands[1].starts_with("cargo test"));
    let ci = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/.ci/run")).expect(".ci/run");
    assert!(ci.lines().any(|l| l.trim() == "cargo test"), ".ci/run must run the README's test command");
}

/// Every flag of `docdrift check` is documented in the README.
#[test]
fn readme_documents_every_check_flag() {
    use clap::CommandFactory;
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README.md");
    let cli = docdrift::cli::Cli::command();
    let check = cli.find_subcommand("check").expect("a check subcommand");
    let missing: Vec<String> = check
        .get_arguments()
        .filter_map(|a| a.get_long())
        .filter(|l| *l != "help")
        .map(|l| format!("--{l}"))
        .filter(|flag| !readme.contains(&format!("`{flag}")) && !readme.contains(&format!(" {flag} ")))
        .collect();
    assert!(missing.is_empty(), "README does not document {missing:?}");
}

/// The README shows what its first command prints, and says that it exits 1: both stay true.
#[test]
fn readme_first_command_output_is_what_docdrift_prints() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README.md");
    let setup = readme.split("## Set up").nth(1).expect("a Set up section");
    assert!(setup.contains("**exits 1 on\npurpose**"), "the README says the first command exits 1");
    let excerpt = setup.split("```text\n").nth(1).and_then(|b| b.split("```").next()).expect("an output excerpt");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_docdrift"))
        .args(["check", "docs-fixtures/site", "--color", "never"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("docdrift runs");
    assert_eq!(o.status.code(), Some(1), "the example site has error-level findings");
    let out = String::from_utf8_lossy(&o.stdout);
    let lines: Vec<&str> = out.lines().collect();
    let shown: Vec<&str> = excerpt.lines().filter(|l| *l != "…").collect();
    // The finding's lines appear together, in order; the summary is the last line.
    let head = &shown[..shown.len() - 1];
    assert!(lines.windows(head.len()).any(|w| w == head), "README excerpt {head:#?} is not in:\n{out}");
    assert_eq!(lines.last(), shown.last(), "the summary line");
}
