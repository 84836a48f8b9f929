// sim/printable.hpp: whatever bytes a message quotes, it prints as text.
#include <gtest/gtest.h>

#include <string>

#include "sim/printable.hpp"

using sim::Lines;
using sim::printable;
using sim::printable_line;

TEST(Printable, ControlBytesAreEscapedAndANulCutsNothingShort) {
    const std::string raw("off\0ered\x1b[31mred\x7f", 17);
    EXPECT_EQ(printable_line(raw), "off\\x00ered\\x1B[31mred\\x7F");
    EXPECT_EQ(printable(raw), printable_line(raw));
}

TEST(Printable, InvalidUtf8BecomesTheReplacementCharacterAndValidUtf8Stays) {
    EXPECT_EQ(printable_line("a\xff" "b\xc0\x80" "c"), "a\xEF\xBF\xBD" "b\xEF\xBF\xBD\xEF\xBF\xBD" "c");
    EXPECT_EQ(printable_line("I1 → R1 «ok» ✗"), "I1 → R1 «ok» ✗");
    EXPECT_EQ(printable_line("cut \xe2\x86"), "cut \xEF\xBF\xBD\xEF\xBF\xBD");  // a sequence cut short
}

TEST(Printable, AMessageIsOneLineAReportKeepsItsLines) {
    EXPECT_EQ(printable_line("a\nb\r\nc\td"), "a b  c\td");
    EXPECT_EQ(printable("a\nb\r\nc\td", Lines::Kept), "a\nb\\x0D\nc\td");
}
