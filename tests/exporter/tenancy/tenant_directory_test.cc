#include "tenancy/tenant_directory.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace vitals {
namespace {

TenantConfig tenant(std::string slug, std::string id) {
  TenantConfig t;
  t.slug = std::move(slug);
  t.id = std::move(id);
  t.name = t.slug;
  return t;
}

const TenantConfig kAcme = tenant("acme", "8d7f7c2e-0000-5000-8000-000000000001");
const TenantConfig kGlobex = tenant("globex", "8d7f7c2e-0000-5000-8000-000000000002");

TEST(TenantDirectory, FindsBySlugOrIdInAnyCase) {
  const TenantDirectory directory({kAcme});
  ASSERT_NE(directory.find("acme"), nullptr);
  EXPECT_EQ(directory.find(kAcme.id), directory.find("acme"));
  EXPECT_EQ(directory.find_by_id("8D7F7C2E-0000-5000-8000-000000000001"), directory.find("acme"));
  EXPECT_EQ(directory.find("globex"), nullptr);
  EXPECT_EQ(directory.slug_of(kAcme.id), "acme");
  EXPECT_EQ(directory.slug_of("not-declared"), "not-declared");
}

TEST(TenantDirectory, AReplacementAddsAndRemovesWhileWhatWasFoundStaysValid) {
  TenantDirectory directory({kAcme});
  const Tenant* acme = directory.find("acme");
  const std::vector<Tenant>& before = directory.all();
  directory.replace({kGlobex});
  EXPECT_EQ(directory.find("acme"), nullptr);
  ASSERT_NE(directory.find("globex"), nullptr);
  EXPECT_EQ(directory.all().size(), 1u);
  EXPECT_EQ(directory.all()[0].slug, "globex");
  // A request that found acme before the reload still reads it whole.
  EXPECT_EQ(acme->slug, "acme");
  EXPECT_EQ(before[0].id, kAcme.id);
  EXPECT_EQ(directory.slug_of(kAcme.id), kAcme.id) << "no longer declared: labelled by its id";
}

TEST(TenantDirectory, ReadersDuringReplacementsSeeOneWholeListOrTheOther) {
  TenantDirectory directory({kAcme});
  std::atomic<bool> done = false;
  std::atomic<int> torn = 0;
  std::thread reader([&] {
    while (!done) {
      const auto& all = directory.all();
      if (all.size() != 1 && all.size() != 2) ++torn;
      for (const Tenant& t : all) {
        const Tenant* found = directory.find(t.id);  // maybe gone already: a later list
        if (found != nullptr && found->slug != t.slug) ++torn;
      }
    }
  });
  for (int i = 0; i < 2000; ++i) {
    if (i % 2 == 0) {
      directory.replace({kAcme, kGlobex});
    } else {
      directory.replace({kGlobex});
    }
  }
  done = true;
  reader.join();
  EXPECT_EQ(torn, 0);
}

}  // namespace
}  // namespace vitals
