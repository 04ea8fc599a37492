#pragma once

#include <cstddef>

namespace vitals {

// Folds one field's hash into the hash of the fields before it. The shifts make the result
// depend on the order of the fields, so (a, b) and (b, a) land in different slots.
inline std::size_t hash_mix(std::size_t seed, std::size_t field_hash) {
  return seed ^ (field_hash + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2));
}

}  // namespace vitals
