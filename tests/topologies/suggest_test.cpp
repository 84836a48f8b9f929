// topologies/suggest.hpp: "did you mean" for fields, commands and options.
#include <gtest/gtest.h>

#include "topologies/suggest.hpp"

// "Did you mean": the nearest known word, only when near enough to be a slip.
TEST(Suggest, NearestKnownWordWithinAFewEdits) {
    using bidilab::topologies::edit_distance;
    using bidilab::topologies::nearest;
    EXPECT_EQ(edit_distance("servrs", "servers"), 1u);
    EXPECT_EQ(edit_distance("chekc", "check"), 1u);  // a swap of neighbours is one edit
    EXPECT_EQ(edit_distance("", "abc"), 3u);
    EXPECT_EQ(nearest("servrs", {"name", "servers", "stanzas"}), "servers");
    EXPECT_EQ(nearest("maxstates", {"max-states", "max-depth"}), "max-states");
    EXPECT_EQ(nearest("frobnicate", {"check", "simulate"}), "");
    EXPECT_EQ(nearest("x", {}), "");
}
