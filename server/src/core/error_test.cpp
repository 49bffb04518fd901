#include "core/error.hpp"

#include <gtest/gtest.h>

namespace safeloop {
namespace {

// Issue 13: a bilingual message is each language's sentence whole, so a client can split it on " / ".
TEST(AppError, NotFoundComposesEachLanguagesSentenceWhole) {
    EXPECT_EQ(AppError::NotFound("隐患 / Hazard").message, "隐患不存在 / Hazard not found");
    EXPECT_EQ(AppError::NotFound("延期申请 / Extension request").message,
              "延期申请不存在 / Extension request not found");
    EXPECT_EQ(AppError::NotFound("隐患 / Hazard").code, "not_found");
    // A name in one form only stands in both sentences.
    EXPECT_EQ(AppError::NotFound("/api/v1/nothing").message, "/api/v1/nothing不存在 / /api/v1/nothing not found");
}

}  // namespace
}  // namespace safeloop
