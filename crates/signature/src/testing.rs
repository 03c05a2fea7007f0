//! A throwaway PKI for tests, made with the openssl CLI the way a provider would: a root CA,
//! an intermediate (the "NCA"), leaf certificates with the national PKI's subject fields and
//! role OIDs, revocations and CRLs (optionally named by CRL distribution points), and
//! `openssl cms -sign` signatures; [`http`] serves CRLs and canned answers on loopback.

use jiff::{SignedDuration, Timestamp};
use std::path::{Path, PathBuf};
use std::process::Command;

pub mod http;

/// The "may sign" role OID (1.2.398.3.3.4.1.2.2) and the organization role.
pub const ROLE_MAY_SIGN: &str = "1.2.398.3.3.4.1.2.2";
pub const ROLE_ORGANIZATION: &str = "1.2.398.3.3.4.1.2";

/// The key of a leaf.
#[derive(Debug, Clone, Copy)]
pub enum KeyKind {
    Rsa2048,
    EcP256,
}

/// What a leaf certificate says and when it is valid.
#[derive(Debug, Clone)]
pub struct LeafSpec {
    pub iin: String,
    pub bin: Option<String>,
    pub roles: Vec<String>,
    pub key: KeyKind,
    pub not_before: Timestamp,
    pub not_after: Timestamp,
    /// The CRL distribution point URL the leaf names; `None` takes the PKI's own (see
    /// [`TestPki::with_crl_url`]), or none.
    pub crl_url: Option<String>,
}

impl LeafSpec {
    /// An employee of the organization `bin` who may sign, valid from yesterday for a year.
    pub fn employee(iin: &str, bin: &str) -> LeafSpec {
        let now = Timestamp::now();
        LeafSpec {
            iin: iin.into(),
            bin: Some(bin.into()),
            roles: vec![ROLE_ORGANIZATION.into(), ROLE_MAY_SIGN.into()],
            key: KeyKind::Rsa2048,
            not_before: now - SignedDuration::from_hours(24),
            not_after: now + SignedDuration::from_hours(24 * 365),
            crl_url: None,
        }
    }
}

/// A leaf's certificate and key files.
#[derive(Debug, Clone)]
pub struct Leaf {
    pub cert: PathBuf,
    pub key: PathBuf,
}

/// A root, an intermediate, their CRLs, in a temporary directory.
pub struct TestPki {
    _dir: tempfile::TempDir,
    root: PathBuf,
    /// Trust anchors and intermediates (`QYZMET_TRUST_DIR`).
    pub trust_dir: PathBuf,
    /// Current CRLs of the root and the intermediate (`QYZMET_CRL_DIR`).
    pub crl_dir: PathBuf,
    config: PathBuf,
    /// Where the CRLs are published: `<base>/root.crl` and `<base>/nca.crl`.
    crl_base: Option<String>,
    serial: std::sync::atomic::AtomicU32,
    /// `openssl ca` keeps its database in files: one operation at a time.
    ca: std::sync::Mutex<()>,
}

impl TestPki {
    /// A fresh PKI named `name` (its root CN).
    pub fn new(name: &str) -> TestPki {
        TestPki::build(name, None)
    }

    /// A PKI whose certificates name CRL distribution points under `base_url`: the
    /// intermediate `<base_url>/root.crl` (the root's list), every leaf `<base_url>/nca.crl`
    /// (the intermediate's list), as the national PKI's certificates do.
    pub fn with_crl_url(name: &str, base_url: &str) -> TestPki {
        TestPki::build(name, Some(base_url.trim_end_matches('/').to_string()))
    }

    fn build(name: &str, crl_base: Option<String>) -> TestPki {
        let dir = tempfile::tempdir().expect("temporary directory");
        let root = dir.path().to_path_buf();
        let trust_dir = root.join("trust");
        let crl_dir = root.join("crl");
        for d in ["trust", "crl", "leaves", "root/new", "inter/new"] {
            std::fs::create_dir_all(root.join(d)).expect("mkdir");
        }
        for ca in ["root", "inter"] {
            std::fs::write(root.join(ca).join("index.txt"), "").expect("index");
            std::fs::write(root.join(ca).join("serial"), "1000\n").expect("serial");
            std::fs::write(root.join(ca).join("crlnumber"), "1000\n").expect("crlnumber");
        }
        let config = root.join("ca.cnf");
        std::fs::write(&config, config_text(&root)).expect("config");
        let pki = TestPki {
            _dir: dir,
            root,
            trust_dir,
            crl_dir,
            config,
            crl_base,
            serial: std::sync::atomic::AtomicU32::new(0),
            ca: std::sync::Mutex::new(()),
        };
        let r = &pki.root;
        openssl(&[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-sha256",
            "-days",
            "3650",
            "-keyout",
            &p(&r.join("root/key.pem")),
            "-out",
            &p(&r.join("root/cert.pem")),
            "-subj",
            &format!("/C=KZ/CN={name} Root CA"),
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        ]);
        openssl(&[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            &p(&r.join("inter/key.pem")),
            "-out",
            &p(&r.join("inter/req.pem")),
            "-subj",
            &format!("/C=KZ/CN={name} NCA"),
        ]);
        let inter_ext = r.join("inter/ext.cnf");
        let mut ext = String::from(
            "[inter]\nbasicConstraints = critical,CA:TRUE\n\
             keyUsage = critical,keyCertSign,cRLSign\n\
             subjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid\n",
        );
        if let Some(base) = &pki.crl_base {
            ext.push_str(&format!("crlDistributionPoints = URI:{base}/root.crl\n"));
        }
        std::fs::write(&inter_ext, ext).expect("ext");
        openssl(&[
            "ca",
            "-batch",
            "-config",
            &p(&pki.config),
            "-name",
            "root_ca",
            "-extfile",
            &p(&inter_ext),
            "-extensions",
            "inter",
            "-days",
            "3000",
            "-in",
            &p(&r.join("inter/req.pem")),
            "-out",
            &p(&r.join("inter/cert.pem")),
            "-notext",
        ]);
        std::fs::copy(r.join("root/cert.pem"), pki.trust_dir.join("root.pem")).expect("copy");
        std::fs::copy(r.join("inter/cert.pem"), pki.trust_dir.join("nca.pem")).expect("copy");
        pki.publish_crls();
        pki
    }

    /// The root's current CRL file.
    pub fn root_crl(&self) -> PathBuf {
        self.crl_dir.join("root.crl")
    }

    /// The intermediate's current CRL file.
    pub fn nca_crl(&self) -> PathBuf {
        self.crl_dir.join("nca.crl")
    }

    /// The intermediate's certificate (to include in signatures).
    pub fn intermediate(&self) -> PathBuf {
        self.root.join("inter/cert.pem")
    }

    /// Issues a leaf under the intermediate.
    pub fn issue(&self, spec: &LeafSpec) -> Leaf {
        let n = self.next();
        let _ca = self.ca.lock().unwrap_or_else(|e| e.into_inner());
        let dir = self.root.join("leaves");
        let key = dir.join(format!("leaf{n}.key"));
        let req = dir.join(format!("leaf{n}.req"));
        let cert = dir.join(format!("leaf{n}.pem"));
        let ext = dir.join(format!("leaf{n}.ext"));
        let mut subject = format!(
            "/CN=ИВАНОВ ИВАН/SN=ИВАНОВ/serialNumber=IIN{}/C=KZ",
            spec.iin
        );
        if let Some(bin) = &spec.bin {
            subject.push_str(&format!("/O=ТОО Тест/OU=BIN{bin}"));
        }
        let newkey = match spec.key {
            KeyKind::Rsa2048 => vec!["-newkey", "rsa:2048"],
            KeyKind::EcP256 => vec!["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"],
        };
        let mut args = vec!["req", "-utf8", "-nodes"];
        args.extend(newkey);
        let (k, r) = (p(&key), p(&req));
        args.extend(["-keyout", &k, "-out", &r, "-subj", &subject]);
        openssl(&args);
        let mut e = String::from(
            "[leaf]\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n\
             subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n",
        );
        if !spec.roles.is_empty() {
            e.push_str(&format!("extendedKeyUsage={}\n", spec.roles.join(",")));
        }
        let own = self.crl_base.as_ref().map(|b| format!("{b}/nca.crl"));
        if let Some(url) = spec.crl_url.clone().or(own) {
            e.push_str(&format!("crlDistributionPoints=URI:{url}\n"));
        }
        std::fs::write(&ext, e).expect("ext");
        openssl(&[
            "ca",
            "-batch",
            "-utf8",
            "-preserveDN",
            "-notext",
            "-config",
            &p(&self.config),
            "-name",
            "inter_ca",
            "-extfile",
            &p(&ext),
            "-extensions",
            "leaf",
            "-startdate",
            &asn1_time(spec.not_before),
            "-enddate",
            &asn1_time(spec.not_after),
            "-in",
            &r,
            "-out",
            &p(&cert),
        ]);
        Leaf { cert, key }
    }

    /// Revokes `leaf` and publishes new CRLs.
    pub fn revoke(&self, leaf: &Leaf) {
        let ca = self.ca.lock().unwrap_or_else(|e| e.into_inner());
        openssl(&[
            "ca",
            "-batch",
            "-config",
            &p(&self.config),
            "-name",
            "inter_ca",
            "-revoke",
            &p(&leaf.cert),
            "-crl_reason",
            "keyCompromise",
        ]);
        drop(ca);
        self.publish_crls();
    }

    fn next(&self) -> u32 {
        self.serial
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            + 1
    }

    /// Writes both CAs' CRLs (valid 7 days) into [`TestPki::crl_dir`].
    pub fn publish_crls(&self) {
        let _ca = self.ca.lock().unwrap_or_else(|e| e.into_inner());
        for (ca, file) in [("root_ca", "root.crl"), ("inter_ca", "nca.crl")] {
            openssl(&[
                "ca",
                "-batch",
                "-config",
                &p(&self.config),
                "-name",
                ca,
                "-gencrl",
                "-crldays",
                "7",
                "-out",
                &p(&self.crl_dir.join(file)),
            ]);
        }
    }

    /// `openssl cms -sign` of `data`: attached (`-nodetach`) or detached, DER.
    pub fn sign(&self, leaf: &Leaf, data: &[u8], attached: bool, extra: &[&str]) -> Vec<u8> {
        let n = self.next();
        let input = self.root.join(format!("data{n}"));
        let out = self.root.join(format!("sig{n}.der"));
        std::fs::write(&input, data).expect("data");
        let (i, o, c, k, ic) = (
            p(&input),
            p(&out),
            p(&leaf.cert),
            p(&leaf.key),
            p(&self.intermediate()),
        );
        let mut args = vec![
            "cms",
            "-sign",
            "-binary",
            "-md",
            "sha256",
            "-nosmimecap",
            "-in",
            &i,
            "-signer",
            &c,
            "-inkey",
            &k,
            "-certfile",
            &ic,
            "-outform",
            "DER",
            "-out",
            &o,
        ];
        if attached {
            args.push("-nodetach");
        }
        args.extend(extra);
        openssl(&args);
        std::fs::read(out).expect("signature")
    }
}

fn p(path: &Path) -> String {
    path.display().to_string()
}

fn asn1_time(t: Timestamp) -> String {
    t.strftime("%Y%m%d%H%M%SZ").to_string()
}

/// Makes a real RSA signature claim Kazakh GOST 34.310: the signer info's algorithm,
/// rsaEncryption (its last occurrence), becomes 1.2.398.3.10.1.1.1.1, an OID of the same
/// encoded length. In-process verification must refuse it; only an external verifier may
/// pass it.
pub fn claim_gost(signature: &mut [u8]) {
    const RSA: [u8; 11] = [
        0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01,
    ];
    const GOST: [u8; 11] = [
        0x06, 0x09, 0x2a, 0x83, 0x0e, 0x03, 0x0a, 0x01, 0x01, 0x01, 0x01,
    ];
    let at = signature
        .windows(RSA.len())
        .rposition(|x| x == RSA)
        .expect("an RSA signature");
    signature[at..at + RSA.len()].copy_from_slice(&GOST);
}

/// Runs the openssl CLI; a failure is a broken test set-up.
pub fn openssl(args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .output()
        .expect("the openssl CLI is installed");
    assert!(
        out.status.success(),
        "openssl {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The `openssl ca` configuration: two CAs that differ only in their directory.
fn config_text(dir: &Path) -> String {
    let ca = |name: &str, sub: &str| {
        format!(
            "[{name}]\ndir = {}/{sub}\ndatabase = $dir/index.txt\nnew_certs_dir = $dir/new\n\
             serial = $dir/serial\ncrlnumber = $dir/crlnumber\ncertificate = $dir/cert.pem\n\
             private_key = $dir/key.pem\ndefault_md = sha256\ndefault_days = 365\n\
             default_crl_days = 7\npolicy = any\nunique_subject = no\nemail_in_dn = no\n\n",
            dir.display()
        )
    };
    format!(
        "[ca]\ndefault_ca = inter_ca\n\n{}{}[any]\ncommonName = optional\n",
        ca("root_ca", "root"),
        ca("inter_ca", "inter")
    )
}
