#[derive(Default)]
pub struct Slugger;
