//! Certificate policy processing (RFC 5280 §6.1.2–§6.1.5) over a path that reached a trust
//! anchor.
//!
//! The inputs RFC 5280 §6.1.1 leaves to the relying party are fixed at their permissive values:
//! user-initial-policy-set = {anyPolicy}, and initial-explicit-policy,
//! initial-policy-mapping-inhibit and initial-any-policy-inhibit all false. A path therefore
//! fails only when a certificate on it demands an explicit policy (policyConstraints) and none is
//! valid, when a policyMappings maps to or from anyPolicy, or when a policy extension is
//! malformed. On success the result is the authorities-constrained policy set, which with that
//! initial set is also the user-constrained policy set (§6.1.5 (g)).
//!
//! The valid_policy_tree is kept in the form of RFC 9618 (which updates RFC 5280 §6.1 and gives
//! the same results): one node per policy and depth, with a list of parents, where the RFC 5280
//! tree copies a node under every parent and can grow exponentially with the path length. The
//! graph is bounded as well: each node counts once per parent it links to, and a path whose graph
//! would grow beyond `Limits::max_policy_nodes` fails with [`PolicyError::TooLarge`].
//! Policy qualifiers are not collected (RFC 5280 §6.1.5 (g) as RFC 9618 restates it lets
//! applications that do not use them skip them).

use std::collections::{BTreeMap, BTreeSet};

use x509_parser::{certificate::X509Certificate, extensions::ParsedExtension};

use crate::pki::{chain::ChainError, oid, x509};

/// Why policy processing rejects a path; carried by [`ChainError::Policy`] with the certificate
/// it was processing.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum PolicyError {
    /// A policy extension does not parse, or appears twice (RFC 5280 §4.2).
    #[error("its {ext} extension is malformed: {reason}")]
    Malformed { ext: &'static str, reason: String },
    /// RFC 5280 §6.1.4 (a): anyPolicy as an issuerDomainPolicy or subjectDomainPolicy.
    #[error("its policyMappings maps to or from anyPolicy (RFC 5280 §6.1.4 (a))")]
    MapsAnyPolicy,
    /// RFC 5280 §6.1.3 (f) or §6.1.5: explicit_policy reached 0 while no policy is valid for
    /// the path.
    #[error(
        "no certificate policy is valid for the path down to it, and {by:?} requires one (requireExplicitPolicy)"
    )]
    ExplicitPolicyRequired { by: String },
    /// The policy graph would exceed `Limits::max_policy_nodes`.
    #[error("its policies grow the policy graph beyond {max} nodes")]
    TooLarge { max: usize },
}

/// Runs RFC 5280 §6.1 policy processing over `path`: certificate 1 (issued by the trust anchor)
/// first, the leaf (certificate n) last; the trust anchor itself is not part of it (§6.1.1 (d)).
///
/// Returns the authorities-constrained policy set as sorted dotted OIDs: it holds
/// `2.5.29.32.0` (anyPolicy) when every certificate allowed any policy, and is empty when the
/// valid_policy_tree ended NULL but no certificate required an explicit policy. An empty `path`
/// yields `["2.5.29.32.0"]`.
///
/// # Errors
/// [`ChainError::Policy`] naming the certificate being processed when it failed.
pub(crate) fn process(
    path: &[&X509Certificate<'_>],
    max_nodes: usize,
) -> Result<Vec<String>, ChainError> {
    let n = path.len();
    let fail = |cert: &X509Certificate<'_>, reason| ChainError::Policy {
        subject: x509::short_name(cert.subject()),
        reason,
    };
    // §6.1.2 (a), (d), (e), (f): the graph starts as one anyPolicy node of depth 0; each
    // counter starts at n + 1 because none of the initial inhibits is set.
    let mut graph = Some(Graph::new(max_nodes));
    let mut explicit_policy = n + 1;
    let mut policy_mapping = n + 1;
    let mut inhibit_any_policy = n + 1;
    // The certificate whose policyConstraints set explicit_policy, for the message.
    let mut required_by: Option<&X509Certificate<'_>> = None;
    let mut leaf_requires_explicit = false;
    let explicit_required =
        |by: Option<&X509Certificate<'_>>| PolicyError::ExplicitPolicyRequired {
            by: by.map_or_else(
                || "the validation inputs".to_owned(),
                |c| x509::short_name(c.subject()),
            ),
        };

    for (k, &cert) in path.iter().enumerate() {
        let i = k + 1;
        let ext = Extensions::of(cert).map_err(|e| fail(cert, e))?;
        let self_issued = cert.subject().as_raw() == cert.issuer().as_raw();

        // §6.1.3 (d), (e).
        graph = match (graph, &ext.policies) {
            (Some(mut g), Some(policies)) => {
                let any_allowed = inhibit_any_policy > 0 || (i < n && self_issued);
                g.add_depth(policies, any_allowed)
                    .map_err(|e| fail(cert, e))?
                    .then_some(g)
            }
            _ => None,
        };
        // §6.1.3 (f).
        if explicit_policy == 0 && graph.is_none() {
            return Err(fail(cert, explicit_required(required_by)));
        }
        if i == n {
            // §6.1.5 (b) reads the leaf's requireExplicitPolicy after (a).
            leaf_requires_explicit = ext.require_explicit_policy == Some(0);
            break;
        }

        // §6.1.4 (a), (b).
        if let Some(mappings) = &ext.mappings {
            if mappings
                .iter()
                .any(|(from, to)| *from == oid::ANY_POLICY || *to == oid::ANY_POLICY)
            {
                return Err(fail(cert, PolicyError::MapsAnyPolicy));
            }
            graph = match graph {
                Some(mut g) => g
                    .map(mappings, policy_mapping > 0)
                    .map_err(|e| fail(cert, e))?
                    .then_some(g),
                None => None,
            };
        }
        // §6.1.4 (h): self-issued certificates do not count.
        if !self_issued {
            explicit_policy = explicit_policy.saturating_sub(1);
            policy_mapping = policy_mapping.saturating_sub(1);
            inhibit_any_policy = inhibit_any_policy.saturating_sub(1);
        }
        // §6.1.4 (i).
        if let Some(require) = ext.require_explicit_policy
            && require < explicit_policy
        {
            explicit_policy = require;
            required_by = Some(cert);
        }
        if let Some(inhibit) = ext.inhibit_policy_mapping {
            policy_mapping = policy_mapping.min(inhibit);
        }
        // §6.1.4 (j).
        if let Some(skip) = ext.inhibit_any_policy {
            inhibit_any_policy = inhibit_any_policy.min(skip);
        }
    }

    // §6.1.5 (a), (b).
    explicit_policy = explicit_policy.saturating_sub(1);
    if leaf_requires_explicit {
        explicit_policy = 0;
        required_by = path.last().copied();
    }
    // §6.1.5 (g), with user-initial-policy-set = {anyPolicy}: (g)(6) removes nothing.
    let accepted = graph
        .map(|g| g.authorities_constrained())
        .unwrap_or_default();
    // §6.1.5: the path fails if explicit_policy is 0 and no policy is valid. (An empty path
    // always ends with {anyPolicy}.)
    if explicit_policy == 0
        && accepted.is_empty()
        && let Some(&leaf) = path.last()
    {
        return Err(fail(leaf, explicit_required(required_by)));
    }
    Ok(accepted)
}

/// The policy extensions of one certificate, as §6.1.3–§6.1.5 read them.
struct Extensions<'c> {
    /// certificatePolicies: the policy identifiers, without repeats.
    policies: Option<Vec<&'c [u8]>>,
    /// policyMappings as (issuerDomainPolicy, subjectDomainPolicy) pairs.
    mappings: Option<Vec<(&'c [u8], &'c [u8])>>,
    /// policyConstraints.requireExplicitPolicy.
    require_explicit_policy: Option<usize>,
    /// policyConstraints.inhibitPolicyMapping.
    inhibit_policy_mapping: Option<usize>,
    /// inhibitAnyPolicy.
    inhibit_any_policy: Option<usize>,
}

impl<'c> Extensions<'c> {
    fn of(cert: &'c X509Certificate<'_>) -> Result<Self, PolicyError> {
        let mut out = Self {
            policies: None,
            mappings: None,
            require_explicit_policy: None,
            inhibit_policy_mapping: None,
            inhibit_any_policy: None,
        };
        // SkipCerts values beyond the path length all mean "never": saturate.
        let count = |v: u32| usize::try_from(v).unwrap_or(usize::MAX);
        match unique(cert, oid::EXT_CERT_POLICIES, "certificatePolicies")? {
            Some(ParsedExtension::CertificatePolicies(infos)) => {
                let mut ids: Vec<&'c [u8]> = Vec::with_capacity(infos.len());
                for info in infos {
                    let id = info.policy_id.as_bytes();
                    if !ids.contains(&id) {
                        ids.push(id);
                    }
                }
                out.policies = Some(ids);
            }
            Some(_) => return Err(unexpected("certificatePolicies")),
            None => {}
        }
        match unique(cert, oid::EXT_POLICY_MAPPINGS, "policyMappings")? {
            Some(ParsedExtension::PolicyMappings(m)) => {
                out.mappings = Some(
                    m.mappings
                        .iter()
                        .map(|p| {
                            (
                                p.issuer_domain_policy.as_bytes(),
                                p.subject_domain_policy.as_bytes(),
                            )
                        })
                        .collect(),
                );
            }
            Some(_) => return Err(unexpected("policyMappings")),
            None => {}
        }
        match unique(cert, oid::EXT_POLICY_CONSTRAINTS, "policyConstraints")? {
            Some(ParsedExtension::PolicyConstraints(pc)) => {
                out.require_explicit_policy = pc.require_explicit_policy.map(count);
                out.inhibit_policy_mapping = pc.inhibit_policy_mapping.map(count);
            }
            Some(_) => return Err(unexpected("policyConstraints")),
            None => {}
        }
        match unique(cert, oid::EXT_INHIBIT_ANY_POLICY, "inhibitAnyPolicy")? {
            Some(ParsedExtension::InhibitAnyPolicy(skip)) => {
                out.inhibit_any_policy = Some(count(skip.skip_certs));
            }
            Some(_) => return Err(unexpected("inhibitAnyPolicy")),
            None => {}
        }
        Ok(out)
    }
}

/// The parsed extension `oid` of `cert`, if present once and well formed.
fn unique<'c, 'a>(
    cert: &'c X509Certificate<'a>,
    oid: &[u8],
    ext: &'static str,
) -> Result<Option<&'c ParsedExtension<'a>>, PolicyError> {
    let mut found = cert.extensions().iter().filter(|e| e.oid.as_bytes() == oid);
    let first = found.next();
    if found.next().is_some() {
        return Err(PolicyError::Malformed {
            ext,
            reason: "it appears more than once".to_owned(),
        });
    }
    match first.map(|e| e.parsed_extension()) {
        Some(ParsedExtension::ParseError { error }) => Err(PolicyError::Malformed {
            ext,
            reason: error.to_string(),
        }),
        other => Ok(other),
    }
}

fn unexpected(ext: &'static str) -> PolicyError {
    PolicyError::Malformed {
        ext,
        reason: "x509-parser did not parse it as that extension".to_owned(),
    }
}

/// One node of the policy graph (RFC 9618 §5, RFC 5280 §6.1.2 (a)).
struct Node<'c> {
    /// valid_policy.
    policy: &'c [u8],
    /// expected_policy_set.
    expected: Vec<&'c [u8]>,
    /// Indices of the parents, in the level of the depth above.
    parents: Vec<usize>,
    /// False once deleted by §6.1.4 (b)(2) or pruned by §6.1.3 (d)(3).
    live: bool,
}

/// The valid_policy_tree as a graph: `levels[d]` holds the nodes of depth `d`. NULL (RFC 5280's
/// empty tree) is `None` at the caller: a graph whose deepest level has no live node is pruned to
/// nothing, so [`Graph::add_depth`] and [`Graph::map`] report it instead of keeping it.
struct Graph<'c> {
    levels: Vec<Vec<Node<'c>>>,
    /// Nodes created so far, each counted once per parent.
    size: usize,
    max: usize,
}

impl<'c> Graph<'c> {
    /// §6.1.2 (a): a single anyPolicy node of depth 0 expecting anyPolicy.
    fn new(max: usize) -> Self {
        Self {
            levels: vec![vec![Node {
                policy: oid::ANY_POLICY,
                expected: vec![oid::ANY_POLICY],
                parents: Vec::new(),
                live: true,
            }]],
            size: 1,
            max,
        }
    }

    /// Counts `links` more towards the bound.
    fn grow(&mut self, links: usize) -> Result<(), PolicyError> {
        self.size = self.size.saturating_add(links);
        if self.size > self.max {
            return Err(PolicyError::TooLarge { max: self.max });
        }
        Ok(())
    }

    /// §6.1.3 (d) as RFC 9618 restates it: adds the level for a certificate asserting
    /// `policies`; `any_allowed` says whether its anyPolicy may be expanded (d)(2). Returns
    /// false when the graph is NULL afterwards.
    fn add_depth(&mut self, policies: &[&'c [u8]], any_allowed: bool) -> Result<bool, PolicyError> {
        let above = self.levels.last().map_or(&[][..], Vec::as_slice);
        // The live parents expecting each policy, and the parent of valid_policy anyPolicy.
        let mut expecting: BTreeMap<&'c [u8], Vec<usize>> = BTreeMap::new();
        let mut any_parent = None;
        for (k, node) in above.iter().enumerate().filter(|(_, n)| n.live) {
            for &p in &node.expected {
                expecting.entry(p).or_default().push(k);
            }
            if node.policy == oid::ANY_POLICY {
                any_parent = Some(k);
            }
        }
        let mut level: Vec<Node<'c>> = Vec::new();
        let mut links = 0;
        // (d)(1): each asserted policy under the parents expecting it, else under anyPolicy.
        for &p in policies.iter().filter(|&&p| p != oid::ANY_POLICY) {
            let parents = match (expecting.get(p), any_parent) {
                (Some(parents), _) => parents.clone(),
                (None, Some(any)) => vec![any],
                (None, None) => continue,
            };
            links += parents.len();
            level.push(Node {
                policy: p,
                expected: vec![p],
                parents,
                live: true,
            });
        }
        // (d)(2): anyPolicy stands for every expected policy not asserted by name.
        if any_allowed && policies.contains(&oid::ANY_POLICY) {
            let named: BTreeSet<&[u8]> = level.iter().map(|n| n.policy).collect();
            for (&p, parents) in &expecting {
                if named.contains(p) {
                    continue;
                }
                links += parents.len();
                level.push(Node {
                    policy: p,
                    expected: vec![p],
                    parents: parents.clone(),
                    live: true,
                });
            }
        }
        self.grow(links)?;
        self.levels.push(level);
        // (d)(3).
        Ok(self.prune())
    }

    /// §6.1.4 (b) as RFC 9618 restates it, for the certificate of the deepest level:
    /// `mappings` holds (issuerDomainPolicy, subjectDomainPolicy) pairs without anyPolicy.
    /// Returns false when the graph is NULL afterwards.
    fn map(
        &mut self,
        mappings: &[(&'c [u8], &'c [u8])],
        allowed: bool,
    ) -> Result<bool, PolicyError> {
        let mut by_issuer: BTreeMap<&'c [u8], Vec<&'c [u8]>> = BTreeMap::new();
        for &(from, to) in mappings {
            let subjects = by_issuer.entry(from).or_default();
            if !subjects.contains(&to) {
                subjects.push(to);
            }
        }
        if !allowed {
            // (b)(2): policy_mapping is 0, so the mapped policies are deleted, then pruned.
            if let Some(level) = self.levels.last_mut() {
                for node in level.iter_mut() {
                    if by_issuer.contains_key(node.policy) {
                        node.live = false;
                    }
                }
            }
            return Ok(self.prune());
        }
        // (b)(1): a node for the issuer policy expects the subject policies instead; when
        // there is none but anyPolicy is at this depth, a node is made under the anyPolicy
        // node of the depth above.
        let any_above = self.levels.len().checked_sub(2).and_then(|d| {
            self.levels[d]
                .iter()
                .position(|n| n.live && n.policy == oid::ANY_POLICY)
        });
        let Some(level) = self.levels.last_mut() else {
            return Ok(false);
        };
        let any_here = level.iter().any(|n| n.live && n.policy == oid::ANY_POLICY);
        let mut added = 0;
        for (from, to) in by_issuer {
            if let Some(node) = level.iter_mut().find(|n| n.live && n.policy == from) {
                node.expected = to;
            } else if let (true, Some(parent)) = (any_here, any_above) {
                level.push(Node {
                    policy: from,
                    expected: to,
                    parents: vec![parent],
                    live: true,
                });
                added += 1;
            }
        }
        self.grow(added)?;
        Ok(true)
    }

    /// §6.1.3 (d)(3), §6.1.4 (b)(2)(ii): deletes the nodes above the deepest level that have no
    /// live child, repeatedly. Returns false when the deepest level has no live node, which
    /// leaves nothing (RFC 5280's NULL tree).
    fn prune(&mut self) -> bool {
        for d in (1..self.levels.len()).rev() {
            let (above, below) = self.levels.split_at_mut(d);
            let (Some(parents), Some(children)) = (above.last_mut(), below.first()) else {
                continue;
            };
            let mut has_child = vec![false; parents.len()];
            for child in children.iter().filter(|c| c.live) {
                for &p in &child.parents {
                    if let Some(flag) = has_child.get_mut(p) {
                        *flag = true;
                    }
                }
            }
            for (node, has) in parents.iter_mut().zip(has_child) {
                node.live &= has;
            }
        }
        self.levels
            .last()
            .is_some_and(|level| level.iter().any(|n| n.live))
    }

    /// §6.1.5 (g)(1)–(4) as RFC 9618 restates them: the policies of the nodes whose single
    /// parent is anyPolicy, plus anyPolicy if it is at the deepest level; sorted dotted OIDs.
    fn authorities_constrained(&self) -> Vec<String> {
        let mut set: BTreeSet<String> = BTreeSet::new();
        for d in 1..self.levels.len() {
            for node in self.levels[d].iter().filter(|n| n.live) {
                let under_any = match node.parents.as_slice() {
                    [p] => self.levels[d - 1]
                        .get(*p)
                        .is_some_and(|p| p.policy == oid::ANY_POLICY),
                    _ => false,
                };
                if node.policy != oid::ANY_POLICY && under_any {
                    set.insert(oid::dotted(node.policy));
                }
            }
        }
        if let Some(level) = self.levels.last()
            && level.iter().any(|n| n.live && n.policy == oid::ANY_POLICY)
        {
            set.insert(oid::dotted(oid::ANY_POLICY));
        }
        set.into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use rcgen::{CertificateParams, CustomExtension, DistinguishedName, DnType, Issuer, KeyPair};

    use super::*;

    const ANY: &[u64] = &[2, 5, 29, 32, 0];
    const ANY_TEXT: &str = "2.5.29.32.0";
    const P: &[u64] = &[1, 3, 6, 1, 4, 1, 55555, 2, 1];
    const P_TEXT: &str = "1.3.6.1.4.1.55555.2.1";
    const Q: &[u64] = &[1, 3, 6, 1, 4, 1, 55555, 2, 2];
    const Q_TEXT: &str = "1.3.6.1.4.1.55555.2.2";
    /// The default bound.
    const MAX: usize = 1_000;

    /// DER tag-length-value, with a long-form length when needed.
    fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        let len = content.len();
        if len < 0x80 {
            out.push(len as u8);
        } else {
            let bytes: Vec<u8> = len
                .to_be_bytes()
                .into_iter()
                .skip_while(|&b| b == 0)
                .collect();
            out.push(0x80 | bytes.len() as u8);
            out.extend(bytes);
        }
        out.extend_from_slice(content);
        out
    }

    /// An OBJECT IDENTIFIER, tag included.
    fn oid_der(arcs: &[u64]) -> Vec<u8> {
        let mut content = Vec::new();
        let first = arcs[0] * 40 + arcs[1];
        for &arc in std::iter::once(&first).chain(&arcs[2..]) {
            let mut groups = vec![(arc & 0x7F) as u8];
            let mut rest = arc >> 7;
            while rest > 0 {
                groups.push(0x80 | (rest & 0x7F) as u8);
                rest >>= 7;
            }
            content.extend(groups.into_iter().rev());
        }
        tlv(0x06, &content)
    }

    fn ext(arcs: &[u64], content: Vec<u8>) -> CustomExtension {
        let mut ext = CustomExtension::from_oid_content(arcs, content);
        ext.set_criticality(true);
        ext
    }

    /// A critical certificatePolicies (RFC 5280 §4.2.1.4) without qualifiers.
    fn policies(ids: &[&[u64]]) -> CustomExtension {
        let infos: Vec<u8> = ids.iter().flat_map(|id| tlv(0x30, &oid_der(id))).collect();
        ext(&[2, 5, 29, 32], tlv(0x30, &infos))
    }

    /// policyMappings (RFC 5280 §4.2.1.5) of (issuerDomainPolicy, subjectDomainPolicy) pairs.
    fn mappings(pairs: &[(&[u64], &[u64])]) -> CustomExtension {
        let seq: Vec<u8> = pairs
            .iter()
            .flat_map(|(from, to)| tlv(0x30, &[oid_der(from), oid_der(to)].concat()))
            .collect();
        ext(&[2, 5, 29, 33], tlv(0x30, &seq))
    }

    /// policyConstraints (RFC 5280 §4.2.1.11).
    fn constraints(require: Option<u8>, inhibit_mapping: Option<u8>) -> CustomExtension {
        let mut seq = Vec::new();
        if let Some(r) = require {
            seq.extend(tlv(0x80, &[r]));
        }
        if let Some(m) = inhibit_mapping {
            seq.extend(tlv(0x81, &[m]));
        }
        ext(&[2, 5, 29, 36], tlv(0x30, &seq))
    }

    /// inhibitAnyPolicy (RFC 5280 §4.2.1.14).
    fn inhibit_any(skip: u8) -> CustomExtension {
        ext(&[2, 5, 29, 54], tlv(0x02, &[skip]))
    }

    /// The DER of a certificate named `subject`, issued by a CA named `issuer` (signatures do
    /// not matter here).
    fn cert(subject: &str, issuer: &str, extensions: Vec<CustomExtension>) -> Vec<u8> {
        let key = KeyPair::generate().expect("P-256 key");
        let named = |cn: &str| {
            let mut p = CertificateParams::default();
            p.distinguished_name = DistinguishedName::new();
            p.distinguished_name.push(DnType::CommonName, cn);
            p
        };
        let mut params = named(subject);
        params.custom_extensions = extensions;
        let issuer_params = named(issuer);
        params
            .signed_by(&key, &Issuer::from_params(&issuer_params, &key))
            .expect("signed")
            .der()
            .to_vec()
    }

    /// Runs policy processing over certificates of (subject, issuer, extensions), certificate 1
    /// first; a failure comes back as (subject, reason).
    fn run_named(
        specs: Vec<(&str, &str, Vec<CustomExtension>)>,
        max: usize,
    ) -> Result<Vec<String>, (String, PolicyError)> {
        let ders: Vec<Vec<u8>> = specs
            .into_iter()
            .map(|(subject, issuer, exts)| cert(subject, issuer, exts))
            .collect();
        let certs: Vec<X509Certificate<'_>> = ders
            .iter()
            .map(|d| x509::parse(d).expect("rcgen certificate parses"))
            .collect();
        let refs: Vec<&X509Certificate<'_>> = certs.iter().collect();
        process(&refs, max).map_err(|e| match e {
            ChainError::Policy { subject, reason } => (subject, reason),
            other => panic!("not a policy error: {other}"),
        })
    }

    /// Runs a path "CA 1" (issued by "Anchor") → "CA 2" → … → "Leaf", one entry per
    /// certificate.
    fn run(
        path: Vec<Vec<CustomExtension>>,
        max: usize,
    ) -> Result<Vec<String>, (String, PolicyError)> {
        let n = path.len();
        let names: Vec<String> = (1..=n)
            .map(|i| {
                if i == n {
                    "Leaf".to_owned()
                } else {
                    format!("CA {i}")
                }
            })
            .collect();
        let specs = path
            .into_iter()
            .enumerate()
            .map(|(k, exts)| {
                let issuer = if k == 0 {
                    "Anchor"
                } else {
                    names[k - 1].as_str()
                };
                (names[k].as_str(), issuer, exts)
            })
            .collect();
        run_named(specs, max)
    }

    fn ok(policies: &[&str]) -> Result<Vec<String>, (String, PolicyError)> {
        Ok(policies.iter().map(|p| (*p).to_owned()).collect())
    }

    fn explicit_required(at: &str, by: &str) -> Result<Vec<String>, (String, PolicyError)> {
        Err((
            at.to_owned(),
            PolicyError::ExplicitPolicyRequired { by: by.to_owned() },
        ))
    }

    #[test]
    fn empty_path_accepts_any_policy() {
        assert_eq!(
            process(&[], MAX).expect("no certificate, no failure"),
            [ANY_TEXT]
        );
    }

    #[test]
    fn any_policy_everywhere() {
        let path = vec![
            vec![policies(&[ANY])],
            vec![policies(&[ANY])],
            vec![policies(&[ANY])],
        ];
        assert_eq!(run(path, MAX), ok(&[ANY_TEXT]));
    }

    #[test]
    fn leaf_policy_under_any_policy_cas() {
        let path = vec![
            vec![policies(&[ANY])],
            vec![policies(&[ANY])],
            vec![policies(&[P])],
        ];
        assert_eq!(run(path, MAX), ok(&[P_TEXT]));
    }

    #[test]
    fn leaf_policy_named_by_the_ca() {
        let path = vec![vec![policies(&[P, Q])], vec![policies(&[P])]];
        assert_eq!(run(path, MAX), ok(&[P_TEXT]));
        // The leaf's anyPolicy stands for every policy the CA allows.
        let path = vec![vec![policies(&[P, Q])], vec![policies(&[ANY])]];
        assert_eq!(run(path, MAX), ok(&[P_TEXT, Q_TEXT]));
    }

    /// §6.1.3 (d), (e): a NULL tree is acceptable while no certificate requires a policy.
    #[test]
    fn null_tree_without_required_policy_is_valid_and_empty() {
        let disjoint = vec![vec![policies(&[Q])], vec![policies(&[P])]];
        assert_eq!(run(disjoint, MAX), ok(&[]));
        let leaf_without = vec![vec![policies(&[ANY])], vec![]];
        assert_eq!(run(leaf_without, MAX), ok(&[]));
        let ca_without = vec![vec![], vec![policies(&[P])]];
        assert_eq!(run(ca_without, MAX), ok(&[]));
    }

    /// §6.1.4 (i), §6.1.3 (f), §6.1.5: requireExplicitPolicy.
    #[test]
    fn require_explicit_policy() {
        let zero = || vec![policies(&[Q]), constraints(Some(0), None)];
        assert_eq!(
            run(vec![zero(), vec![policies(&[P])]], MAX),
            explicit_required("Leaf", "CA 1")
        );
        assert_eq!(
            run(vec![zero(), vec![]], MAX),
            explicit_required("Leaf", "CA 1")
        );
        assert_eq!(run(vec![zero(), vec![policies(&[Q])]], MAX), ok(&[Q_TEXT]));
        // The CA below the one requiring a policy has none: the path fails there already.
        assert_eq!(
            run(vec![zero(), vec![], vec![policies(&[Q])]], MAX),
            explicit_required("CA 2", "CA 1")
        );
        // requireExplicitPolicy 1 lets one more certificate go without policies, not two.
        let one = || vec![policies(&[ANY]), constraints(Some(1), None)];
        assert_eq!(
            run(vec![one(), vec![], vec![policies(&[P])]], MAX),
            explicit_required("Leaf", "CA 1")
        );
        assert_eq!(
            run(
                vec![one(), vec![policies(&[ANY])], vec![policies(&[P])]],
                MAX
            ),
            ok(&[P_TEXT])
        );
        // Each CA counts: with requireExplicitPolicy 1 on CA 1, CA 3 must already have one.
        assert_eq!(
            run(
                vec![one(), vec![policies(&[ANY])], vec![], vec![policies(&[P])]],
                MAX
            ),
            explicit_required("CA 3", "CA 1")
        );
        // Large enough to outlast the path: nothing is required.
        let three = vec![policies(&[ANY]), constraints(Some(3), None)];
        assert_eq!(run(vec![three, vec![], vec![policies(&[P])]], MAX), ok(&[]));
        // §6.1.5 (b): the leaf's own requireExplicitPolicy 0.
        let leaf = vec![policies(&[P]), constraints(Some(0), None)];
        assert_eq!(
            run(vec![vec![policies(&[Q])], leaf], MAX),
            explicit_required("Leaf", "Leaf")
        );
    }

    /// §6.1.4 (b)(1): the set is named in the anchor's domain, where the mapping starts.
    #[test]
    fn policy_mapping() {
        let mapped = vec![
            vec![policies(&[P]), mappings(&[(P, Q)])],
            vec![policies(&[Q])],
        ];
        assert_eq!(run(mapped, MAX), ok(&[P_TEXT]));
        let under_any = vec![
            vec![policies(&[ANY]), mappings(&[(P, Q)])],
            vec![policies(&[Q])],
        ];
        assert_eq!(run(under_any, MAX), ok(&[P_TEXT]));
        // P now expects Q, so P itself no longer matches below.
        let replaced = vec![
            vec![policies(&[P]), mappings(&[(P, Q)])],
            vec![policies(&[P])],
        ];
        assert_eq!(run(replaced, MAX), ok(&[]));
        // A mapping in the leaf is not processed (§6.1.4 applies to certificates 1..n-1).
        let in_leaf = vec![
            vec![policies(&[P])],
            vec![policies(&[P]), mappings(&[(P, Q)])],
        ];
        assert_eq!(run(in_leaf, MAX), ok(&[P_TEXT]));
    }

    /// §6.1.4 (a).
    #[test]
    fn mapping_to_or_from_any_policy_fails() {
        for pair in [(ANY, Q), (P, ANY)] {
            let path = vec![
                vec![policies(&[ANY]), mappings(&[pair])],
                vec![policies(&[Q])],
            ];
            assert_eq!(
                run(path, MAX),
                Err(("CA 1".to_owned(), PolicyError::MapsAnyPolicy))
            );
        }
    }

    /// §6.1.4 (i), (b)(2): inhibitPolicyMapping 0 deletes what would be mapped.
    #[test]
    fn inhibit_policy_mapping() {
        let path = |inhibit| {
            vec![
                vec![policies(&[P]), constraints(None, Some(inhibit))],
                vec![policies(&[P]), mappings(&[(P, Q)])],
                vec![policies(&[Q])],
            ]
        };
        assert_eq!(run(path(0), MAX), ok(&[]));
        assert_eq!(run(path(1), MAX), ok(&[P_TEXT]));
        // inhibitPolicyMapping 1 allows a mapping in the next CA, not in the one after it.
        let later = vec![
            vec![policies(&[P]), constraints(None, Some(1))],
            vec![policies(&[P])],
            vec![policies(&[P]), mappings(&[(P, Q)])],
            vec![policies(&[Q])],
        ];
        assert_eq!(run(later, MAX), ok(&[]));
    }

    /// §6.1.3 (d)(2), §6.1.4 (j): inhibitAnyPolicy, and the self-issued exception.
    #[test]
    fn inhibit_any_policy() {
        let path = |skip| {
            vec![
                vec![policies(&[ANY]), inhibit_any(skip)],
                vec![policies(&[ANY])],
                vec![policies(&[P])],
            ]
        };
        assert_eq!(run(path(0), MAX), ok(&[]));
        assert_eq!(run(path(1), MAX), ok(&[P_TEXT]));
        // inhibitAnyPolicy 1 lets the next CA use anyPolicy, not the one after it.
        let later = vec![
            vec![policies(&[ANY]), inhibit_any(1)],
            vec![policies(&[ANY])],
            vec![policies(&[ANY])],
            vec![policies(&[P])],
        ];
        assert_eq!(run(later, MAX), ok(&[]));
        // A self-issued CA (a key rollover) below may still use anyPolicy (i < n), and it does
        // not count towards the skip (§6.1.4 (h)).
        let rollover = run_named(
            vec![
                ("CA 1", "Anchor", vec![policies(&[ANY]), inhibit_any(0)]),
                ("CA 1", "CA 1", vec![policies(&[ANY])]),
                ("Leaf", "CA 1", vec![policies(&[P])]),
            ],
            MAX,
        );
        assert_eq!(rollover, ok(&[P_TEXT]));
        let rollover_then_ca = run_named(
            vec![
                ("CA 1", "Anchor", vec![policies(&[ANY]), inhibit_any(1)]),
                ("CA 1", "CA 1", vec![policies(&[ANY])]),
                ("CA 2", "CA 1", vec![policies(&[ANY])]),
                ("Leaf", "CA 2", vec![policies(&[P])]),
            ],
            MAX,
        );
        assert_eq!(rollover_then_ca, ok(&[P_TEXT]));
        // The leaf's anyPolicy is not expanded once inhibited (the self-issued exception is
        // for certificates 1..n-1).
        let leaf_any = vec![vec![policies(&[P]), inhibit_any(0)], vec![policies(&[ANY])]];
        assert_eq!(run(leaf_any, MAX), ok(&[]));
    }

    #[test]
    fn malformed_policy_extensions_fail() {
        let null = ext(&[2, 5, 29, 32], vec![0x05, 0x00]);
        let Err((subject, PolicyError::Malformed { ext: name, .. })) =
            run(vec![vec![null], vec![policies(&[P])]], MAX)
        else {
            panic!("a NULL certificatePolicies must not parse");
        };
        assert_eq!((subject.as_str(), name), ("CA 1", "certificatePolicies"));
        let twice = vec![vec![], vec![policies(&[P]), policies(&[Q])]];
        assert_eq!(
            run(twice, MAX),
            Err((
                "Leaf".to_owned(),
                PolicyError::Malformed {
                    ext: "certificatePolicies",
                    reason: "it appears more than once".to_owned()
                }
            ))
        );
    }

    /// The bound counts nodes, once per parent link.
    #[test]
    fn node_cap() {
        let many: Vec<Vec<u64>> = (0..50)
            .map(|k| vec![1, 3, 6, 1, 4, 1, 55555, 3, k])
            .collect();
        let many: Vec<&[u64]> = many.iter().map(Vec::as_slice).collect();
        // 1 root + 50 + 50 nodes, one parent each.
        let wide = || vec![vec![policies(&many)], vec![policies(&many)]];
        assert_eq!(run(wide(), 101).map(|p| p.len()), Ok(50));
        assert_eq!(
            run(wide(), 100),
            Err(("Leaf".to_owned(), PolicyError::TooLarge { max: 100 }))
        );
        // Ten policies each mapped to the same ten: 1 + 10 nodes, then 10 nodes with 10 parents.
        let from = &many[..10];
        let to = &many[10..20];
        let pairs: Vec<(&[u64], &[u64])> = from
            .iter()
            .flat_map(|&f| to.iter().map(move |&t| (f, t)))
            .collect();
        let fan = || vec![vec![policies(from), mappings(&pairs)], vec![policies(to)]];
        assert_eq!(run(fan(), 111).map(|p| p.len()), Ok(10));
        assert_eq!(
            run(fan(), 110),
            Err(("Leaf".to_owned(), PolicyError::TooLarge { max: 110 }))
        );
    }
}
