//! A throwaway PostgreSQL cluster of one test's own (`initdb` in a temporary directory, its own
//! port), for tests that stop and start the server while the shared cluster serves the others.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

use uuid::Uuid;

pub struct ThrowawayCluster {
    dir: PathBuf,
    bin: PathBuf,
    pub port: u16,
}

impl ThrowawayCluster {
    pub fn start() -> Self {
        let bin = server_binaries();
        let dir = std::env::temp_dir().join(format!("tsunagari-cluster-{}", Uuid::new_v4().simple()));
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let cluster = Self { dir, bin, port };
        cluster.run(
            "initdb",
            &[
                "--auth=trust",
                "--username=tsunagari",
                "--no-sync",
                "--pgdata",
                cluster.data(),
            ],
        );
        cluster.start_server();
        cluster
    }

    pub fn url(&self) -> String {
        format!("postgres://tsunagari@127.0.0.1:{}/postgres", self.port)
    }

    pub fn start_server(&self) {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
            self.port,
            self.data()
        );
        let log = self.dir.join("server.log");
        self.run(
            "pg_ctl",
            &[
                "start",
                "--wait",
                "--pgdata",
                self.data(),
                "--log",
                log.to_str().unwrap(),
                "-o",
                &options,
            ],
        );
    }

    pub fn stop_server(&self) {
        self.run("pg_ctl", &["stop", "--wait", "--mode=fast", "--pgdata", self.data()]);
    }

    fn data(&self) -> &str {
        self.dir.to_str().unwrap()
    }

    fn run(&self, tool: &str, args: &[&str]) {
        let status = self.command(tool).args(args).status().expect("PostgreSQL's tools run");
        assert!(status.success(), "{tool} {args:?} failed: {status}");
    }

    /// PostgreSQL refuses to run as root: as root, its tools run as the `postgres` user.
    fn command(&self, tool: &str) -> Command {
        let program = self.bin.join(tool);
        if !is_root() {
            return Command::new(program);
        }
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(program);
        command
    }
}

impl Drop for ThrowawayCluster {
    fn drop(&mut self) {
        let _ = self
            .command("pg_ctl")
            .args(["stop", "--mode=immediate", "--pgdata", self.data()])
            .status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|output| output.stdout.trim_ascii() == b"0")
        .unwrap_or(false)
}

/// The newest PostgreSQL installed the Debian way, unless `PG_BINDIR` names another.
fn server_binaries() -> PathBuf {
    if let Ok(dir) = std::env::var("PG_BINDIR") {
        return PathBuf::from(dir);
    }
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .expect("PostgreSQL's server binaries in /usr/lib/postgresql (or PG_BINDIR)")
        .filter_map(|entry| entry.ok().map(|entry| entry.path().join("bin")))
        .filter(|bin| Path::new(bin).join("initdb").exists())
        .collect();
    versions.sort_by_key(|bin| {
        bin.parent()
            .and_then(|version| version.file_name()?.to_str()?.parse::<u32>().ok())
            .unwrap_or(0)
    });
    versions.pop().expect("an initdb under /usr/lib/postgresql")
}
