#[derive(Clone, Debug, Default)]
pub struct Variables { map: std::collections::BTreeMap<String, String> }
impl Variables {
    pub fn get(&self, name: &str) -> Option<&str> { self.map.get(name).map(|s| s.as_str()) }
    pub fn names(&self) -> impl Iterator<Item = &str> { self.map.keys().map(|s| s.as_str()) }
}
