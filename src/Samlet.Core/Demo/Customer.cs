using System.Globalization;

namespace Samlet.Demo;

/// <summary>
/// One simulated person: identity, devices, tastes and the latent BG/NBD parameters (purchase rate
/// λ per day and dropout probability p). Each person draws from its own random stream, so the
/// output does not depend on how the customers' sessions interleave.
/// </summary>
internal sealed class Customer
{
    private const long DayMs = 86_400_000;

    private readonly List<ProductCategory> _favorites = [];

    public Customer(int index, bool willRegister, DemoRandom rng, DemoContext demo)
    {
        Index = index;
        Rng = rng;
        WillRegister = willRegister;
        Person = Person.Create(rng);
        // Registering people have even indices (see DemoEventStream); number them 100000, 100001, ...
        UserId = "user_" + (100_000 + (index / 2)).ToString(CultureInfo.InvariantCulture);
        if (willRegister)
        {
            var u = rng.NextDouble();
            if (u < demo.BadData.TestEmail)
            {
                Person.BreakEmail(rng, testAccount: true);
            }
            else if (u < demo.BadData.TestEmail + demo.BadData.InvalidEmail)
            {
                Person.BreakEmail(rng, testAccount: false);
            }
        }

        var span = demo.EndMs - demo.StartMs;
        var firstVisit = willRegister
            ? demo.Calendar.RandomTime(rng, demo.StartMs, demo.StartMs + (long)(span * 0.85), UtcOffset)
            : demo.Calendar.RandomTime(rng, demo.StartMs, demo.EndMs, UtcOffset);
        Devices.Add(Device.Web(rng, mobile: rng.Chance(0.45), firstVisit));
        if (willRegister)
        {
            if (rng.Chance(0.4))
            {
                Devices.Add(Device.App(rng, ios: rng.Chance(0.55), firstVisit + (long)rng.Exponential(30 * DayMs)));
            }

            if (rng.Chance(0.2))
            {
                Devices.Add(Device.Web(rng, mobile: false, firstVisit + (long)rng.Exponential(60 * DayMs)));
            }

            Company = rng.Chance(0.05) ? rng.Pick(demo.Companies) : null;
            AliasAtSignUp = rng.Chance(0.04);
        }

        ConsentAnswer = ConsentChoice.Draw(rng);
        ChooseFavorites(rng);

        // BG/NBD: λ ~ Gamma(r = 0.7, α = 80 days), p ~ Beta(a = 0.7, b = 2.8); businesses buy more and stay longer.
        PurchaseRate = rng.Gamma(0.7, 1.0 / 80) * (IsBusiness ? 2.5 : 1.0);
        DropoutProbability = rng.Beta(0.7, 2.8) * (IsBusiness ? 0.5 : 1.0);
        BrowseRate = (3 * PurchaseRate) + 0.015;

        VisitsBeforeSignUp = willRegister ? rng.OneOrMore(0.45, 5) : rng.OneOrMore(0.3, 4);
        NextSessionMs = firstVisit;
        NextPlan = PlanForProspect();
    }

    public int Index { get; }

    public DemoRandom Rng { get; }

    public bool WillRegister { get; }

    public Person Person { get; }

    public int UtcOffset => Person.UtcOffsetHours;

    public string UserId { get; }

    public Company? Company { get; }

    public bool IsBusiness => Company is not null;

    public bool AliasAtSignUp { get; }

    public List<Device> Devices { get; } = [];

    /// <summary>What this person answers when a cookie banner asks.</summary>
    public ConsentChoice ConsentAnswer { get; set; }

    /// <summary>The latest answer given on any device (decides whether newsletters reach this person); null before.</summary>
    public ConsentChoice? Consent { get; set; }

    public double PurchaseRate { get; }

    public double DropoutProbability { get; }

    public double BrowseRate { get; }

    public LifecycleStage Stage { get; set; } = LifecycleStage.Prospect;

    public bool Registered => SignedUpMs > 0;

    public int VisitsBeforeSignUp { get; private set; }

    public int Sessions { get; private set; }

    public int Orders { get; set; }

    /// <summary>Checkouts started, completed or not; numbers the order ids.</summary>
    public int Checkouts { get; set; }

    public long SignedUpMs { get; set; }

    public long LastOrderMs { get; set; }

    public bool AbandonedCart { get; set; }

    public long NextSessionMs { get; private set; }

    public SessionPlan NextPlan { get; private set; }

    /// <summary>The serialised events of the session in progress, if any.</summary>
    public SessionBuffer? Pending { get; set; }

    public ProductCategory PickAnchor(Catalog catalog) =>
        Rng.Chance(0.7) ? _favorites[Rng.Next(_favorites.Count)] : catalog.PickCategory(Rng);

    public Device ChooseDevice(long ms)
    {
        if (!Registered)
        {
            return Devices[0];
        }

        Span<double> weights = stackalloc double[Devices.Count];
        for (var i = 0; i < Devices.Count; i++)
        {
            var d = Devices[i];
            weights[i] = d.AvailableFromMs > ms ? 0 : d.IsApp ? 0.5 : i == 0 ? 0.35 : 0.15;
        }

        return Devices[Rng.PickWeighted(weights)];
    }

    /// <summary>Schedules the next session after one that ended at <paramref name="lastEventMs"/>.</summary>
    public void PlanNext(DemoContext demo, long lastEventMs, bool purchased)
    {
        Sessions++;
        if (Stage == LifecycleStage.Prospect)
        {
            VisitsBeforeSignUp--;
            if (VisitsBeforeSignUp <= 0)
            {
                NextSessionMs = long.MaxValue;
                return;
            }

            NextSessionMs = demo.Calendar.NextArrival(Rng, lastEventMs + (10 * 60_000), 0.25, UtcOffset);
            NextPlan = PlanForProspect();
            return;
        }

        if (purchased && Orders > 1 && Rng.Chance(DropoutProbability))
        {
            Stage = LifecycleStage.Churned;
        }
        else if (!purchased && Stage == LifecycleStage.Registered && Rng.Chance(0.08))
        {
            Stage = LifecycleStage.Churned;
        }

        if (Stage == LifecycleStage.Churned)
        {
            NextSessionMs = long.MaxValue;
            return;
        }

        // Purchases and browsing are two Poisson clocks; the next arrival is of the merged process.
        var rate = PurchaseRate + BrowseRate;
        NextSessionMs = demo.Calendar.NextArrival(Rng, lastEventMs + (10 * 60_000), rate, UtcOffset);
        NextPlan = Rng.Chance(PurchaseRate / rate) ? SessionPlan.Purchase : SessionPlan.Browse;
    }

    private SessionPlan PlanForProspect() =>
        WillRegister && VisitsBeforeSignUp == 1
            ? Rng.Chance(0.6) ? SessionPlan.SignUpAndPurchase : SessionPlan.SignUp
            : SessionPlan.Browse;

    private void ChooseFavorites(DemoRandom rng)
    {
        var catalog = Catalog.Instance;
        var departments = Company?.Departments ?? [catalog.PickCategory(rng).Spec.Department];
        if (Company is null && rng.Chance(0.4))
        {
            departments = [departments[0], catalog.PickCategory(rng).Spec.Department];
        }

        foreach (var category in catalog.Categories)
        {
            // Popular categories of a favourite department are listed more than once to weight the pick.
            if (departments.Contains(category.Spec.Department))
            {
                for (var k = 0; k < Math.Max(1, (int)Math.Round(category.Spec.Popularity * 2)); k++)
                {
                    _favorites.Add(category);
                }
            }
        }
    }
}
