#include "auth/authenticator.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "auth/role.h"
#include "core/crypto.h"

namespace vitals {
namespace {

using ::testing::ElementsAre;

std::vector<TenantConfig> tenant_configs() {
  return {{"acme", "Acme", uuid_v5_url("acme")},
          {"globex", "Globex", uuid_v5_url("globex")},
          {"initech", "Initech", uuid_v5_url("initech")}};
}

TokenConfig plain_token(const std::string& secret, Role role, std::vector<std::string> tenants,
                        std::optional<std::string> user = std::nullopt) {
  TokenConfig t;
  t.token_hash = sha256(secret);
  t.role = role;
  for (const auto& slug : tenants) {
    if (slug == "*") {
      t.all_tenants = true;
    } else {
      t.tenants.push_back(slug);
    }
  }
  t.user = std::move(user);
  return t;
}

TokenConfig hashed_token(const std::string& hex, Role role, std::vector<std::string> tenants) {
  TokenConfig t = plain_token("", role, std::move(tenants));
  EXPECT_TRUE(parse_sha256_hex(hex, t.token_hash));
  return t;
}

class AuthenticatorTest : public ::testing::Test {
 protected:
  AuthenticatorTest()
      : directory_(tenant_configs()),
        auth_({plain_token("admin-token-1", Role::kAdmin, {"*"}),
               plain_token("viewer-token-1", Role::kViewer, {"acme", "initech"}, "u_42"),
               hashed_token(sha256_hex("ingest-token-1"), Role::kIngest, {"globex"}),
               plain_token("editor-token-1", Role::kEditor, {"acme"})},
              directory_) {}

  const Tenant& tenant(std::string_view slug) const { return *directory_.find(slug); }

  TenantDirectory directory_;
  Authenticator auth_;
};

TEST_F(AuthenticatorTest, PlainTokenAuthenticates) {
  const auto p = auth_.authenticate("admin-token-1");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->role, Role::kAdmin);
  EXPECT_TRUE(p->all_tenants);
  EXPECT_FALSE(p->user.has_value());
}

TEST_F(AuthenticatorTest, TokenCarriesItsUserAndTenantIds) {
  const auto p = auth_.authenticate("viewer-token-1");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->role, Role::kViewer);
  EXPECT_FALSE(p->all_tenants);
  EXPECT_EQ(p->user, std::optional<std::string>("u_42"));
  EXPECT_THAT(p->tenant_ids, ElementsAre(uuid_v5_url("acme"), uuid_v5_url("initech")));
}

TEST_F(AuthenticatorTest, Sha256TokenAuthenticatesWithTheSecretNotTheHash) {
  const auto p = auth_.authenticate("ingest-token-1");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->role, Role::kIngest);
  EXPECT_THAT(p->tenant_ids, ElementsAre(uuid_v5_url("globex")));
  EXPECT_FALSE(auth_.authenticate(sha256_hex("ingest-token-1")).has_value());
}

TEST_F(AuthenticatorTest, EachTokenMapsToItsOwnPrincipal) {
  EXPECT_EQ(auth_.authenticate("editor-token-1")->role, Role::kEditor);
  EXPECT_EQ(auth_.authenticate("viewer-token-1")->role, Role::kViewer);
  EXPECT_EQ(auth_.authenticate("admin-token-1")->role, Role::kAdmin);
}

TEST_F(AuthenticatorTest, UnknownTokenFails) {
  EXPECT_FALSE(auth_.authenticate("nobody-token").has_value());
  EXPECT_FALSE(auth_.authenticate("admin-token-").has_value());
  EXPECT_FALSE(auth_.authenticate("admin-token-12").has_value());
  EXPECT_FALSE(auth_.authenticate("ADMIN-TOKEN-1").has_value());
}

TEST_F(AuthenticatorTest, EmptyTokenFails) {
  EXPECT_FALSE(auth_.authenticate("").has_value());
}

TEST(Authenticator, EmptyTokenFailsEvenWhenTheEmptyHashIsConfigured) {
  const TenantDirectory directory(tenant_configs());
  const Authenticator auth({plain_token("", Role::kAdmin, {"*"})}, directory);
  EXPECT_FALSE(auth.authenticate("").has_value());
}

TEST(Authenticator, NoTokensConfiguredRejectsEverything) {
  const TenantDirectory directory(tenant_configs());
  const Authenticator auth({}, directory);
  EXPECT_FALSE(auth.authenticate("anything-at-all").has_value());
}

// --- Principal::may_access ---------------------------------------------------------------------

TEST_F(AuthenticatorTest, MayAccessListedTenantsOnly) {
  const auto p = auth_.authenticate("viewer-token-1");
  ASSERT_TRUE(p.has_value());
  EXPECT_TRUE(p->may_access(tenant("acme")));
  EXPECT_TRUE(p->may_access(tenant("initech")));
  EXPECT_FALSE(p->may_access(tenant("globex")));
}

TEST_F(AuthenticatorTest, StarMayAccessEveryTenant) {
  const auto p = auth_.authenticate("admin-token-1");
  ASSERT_TRUE(p.has_value());
  for (const auto& t : directory_.all()) EXPECT_TRUE(p->may_access(t)) << t.slug;
  const Tenant undeclared{"other", uuid_v5_url("other"), "Other"};
  EXPECT_TRUE(p->may_access(undeclared));
}

TEST_F(AuthenticatorTest, MayAccessComparesTenantIds) {
  const auto p = auth_.authenticate("editor-token-1");
  ASSERT_TRUE(p.has_value());
  const Tenant same_slug_other_id{"acme", uuid_v5_url("not-acme"), "Impostor"};
  EXPECT_FALSE(p->may_access(same_slug_other_id));
}

TEST_F(AuthenticatorTest, VisibleTenantsFollowDirectoryOrder) {
  const auto viewer = auth_.authenticate("viewer-token-1");
  ASSERT_TRUE(viewer.has_value());
  std::vector<std::string> slugs;
  for (const Tenant* t : viewer->visible_tenants(directory_)) slugs.push_back(t->slug);
  EXPECT_THAT(slugs, ElementsAre("acme", "initech"));

  const auto admin = auth_.authenticate("admin-token-1");
  ASSERT_TRUE(admin.has_value());
  EXPECT_EQ(admin->visible_tenants(directory_).size(), 3u);
}

// --- presented_token
// -------------------------------------------------------------------------------

TEST(PresentedToken, BearerHeader) {
  EXPECT_EQ(presented_token("Bearer abc123", ""), std::optional<std::string_view>("abc123"));
}

TEST(PresentedToken, BearerSchemeIsCaseInsensitive) {
  for (const char* header : {"bearer abc123", "BEARER abc123", "BeArEr abc123"}) {
    SCOPED_TRACE(header);
    EXPECT_EQ(presented_token(header, ""), std::optional<std::string_view>("abc123"));
  }
}

TEST(PresentedToken, SurroundingSpacesAreTrimmed) {
  EXPECT_EQ(presented_token("  Bearer   abc123  ", ""), std::optional<std::string_view>("abc123"));
  EXPECT_EQ(presented_token("\tBearer abc123\t", ""), std::optional<std::string_view>("abc123"));
  EXPECT_EQ(presented_token("", "  key-1 \t"), std::optional<std::string_view>("key-1"));
}

TEST(PresentedToken, ApiKeyHeader) {
  EXPECT_EQ(presented_token("", "key-1"), std::optional<std::string_view>("key-1"));
}

TEST(PresentedToken, BearerWinsWhenBothAreSent) {
  EXPECT_EQ(presented_token("Bearer from-bearer", "from-api-key"),
            std::optional<std::string_view>("from-bearer"));
}

TEST(PresentedToken, OtherSchemesFallBackToTheApiKey) {
  EXPECT_EQ(presented_token("Basic dXNlcjpwYXNz", "key-1"),
            std::optional<std::string_view>("key-1"));
  EXPECT_FALSE(presented_token("Basic dXNlcjpwYXNz", "").has_value());
  EXPECT_FALSE(presented_token("Token abc", "").has_value());
}

TEST(PresentedToken, BearerWithoutATokenFallsBackToTheApiKey) {
  EXPECT_EQ(presented_token("Bearer", "key-1"), std::optional<std::string_view>("key-1"));
  EXPECT_EQ(presented_token("Bearer    ", "key-1"), std::optional<std::string_view>("key-1"));
  EXPECT_FALSE(presented_token("Bearer ", "").has_value());
}

TEST(PresentedToken, BearerPrefixOfAnotherWordIsNotTheScheme) {
  EXPECT_FALSE(presented_token("Bearerabc123", "").has_value());
}

TEST(PresentedToken, NothingPresented) {
  EXPECT_FALSE(presented_token("", "").has_value());
  EXPECT_FALSE(presented_token("   ", "  ").has_value());
}

TEST_F(AuthenticatorTest, PresentedTokenThenAuthenticate) {
  const auto token = presented_token("bearer  viewer-token-1 ", "admin-token-1");
  ASSERT_TRUE(token.has_value());
  const auto p = auth_.authenticate(*token);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->role, Role::kViewer);
}

// --- Roles --------------------------------------------------------------------------------------

TEST(Role, CanRead) {
  EXPECT_FALSE(can_read(Role::kIngest));
  EXPECT_TRUE(can_read(Role::kViewer));
  EXPECT_TRUE(can_read(Role::kEditor));
  EXPECT_TRUE(can_read(Role::kAdmin));
}

TEST(Role, CanWriteData) {
  EXPECT_TRUE(can_write_data(Role::kIngest));
  EXPECT_FALSE(can_write_data(Role::kViewer));
  EXPECT_TRUE(can_write_data(Role::kEditor));
  EXPECT_TRUE(can_write_data(Role::kAdmin));
}

TEST(Role, CanWriteAlerts) {
  EXPECT_FALSE(can_write_alerts(Role::kIngest));
  EXPECT_FALSE(can_write_alerts(Role::kViewer));
  EXPECT_TRUE(can_write_alerts(Role::kEditor));
  EXPECT_TRUE(can_write_alerts(Role::kAdmin));
}

TEST(Role, CanAdminister) {
  EXPECT_FALSE(can_administer(Role::kIngest));
  EXPECT_FALSE(can_administer(Role::kViewer));
  EXPECT_FALSE(can_administer(Role::kEditor));
  EXPECT_TRUE(can_administer(Role::kAdmin));
}

TEST(Role, NamesRoundTrip) {
  for (Role r : {Role::kIngest, Role::kViewer, Role::kEditor, Role::kAdmin}) {
    EXPECT_EQ(parse_role(role_name(r)), std::optional<Role>(r));
  }
  EXPECT_FALSE(parse_role("Admin").has_value());
  EXPECT_FALSE(parse_role("").has_value());
  EXPECT_FALSE(parse_role("root").has_value());
}

}  // namespace
}  // namespace vitals
