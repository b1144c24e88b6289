//! Request shapes nested in a request read only from JSON objects. serde's derive also reads a struct
//! from an array (its fields in order), so `{"report": [null, null]}` would pass as a report with two
//! fields given; no client means that, so a nested shape given as anything but an object is refused.

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::MapAccessDeserializer;
use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

/// A `T` read only from an object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Object<T>(pub T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Object<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        one(d).map(Object)
    }
}

struct FromMap<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for FromMap<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map))
    }
}

/// For `#[serde(deserialize_with)]`: one nested shape, from an object only.
pub fn one<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<T, D::Error> {
    d.deserialize_map(FromMap(PhantomData))
}

/// For `#[serde(deserialize_with)]`: a list of nested shapes, each from an object only.
pub fn many<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    Vec::<Object<T>>::deserialize(d).map(|all| all.into_iter().map(|o| o.0).collect())
}
