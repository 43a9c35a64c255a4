using System.Globalization;

namespace Samlet.Demo;

/// <summary>
/// Plays one session of one customer on one device: arrive (page with referrer/UTMs, or app open),
/// answer the cookie banner, log in, search or browse a category, view products, and depending on the
/// plan abandon a cart, sign up or check out. Events are written in time order as the clock advances.
/// </summary>
internal sealed class SessionScript(DemoContext demo, EventWriter writer)
{
    private readonly Catalog _catalog = demo.Catalog;
    private Customer _customer = null!;
    private Device _device = null!;
    private DemoRandom _rng = null!;
    private Visit? _visit;
    private long _t;

    public void Run(Customer customer, SessionBuffer buffer)
    {
        _customer = customer;
        _rng = customer.Rng;
        _t = customer.NextSessionMs;
        var plan = customer.NextPlan;
        _device = customer.ChooseDevice(_t);
        if (!_device.IsApp && _device.LoggedIn && _rng.Chance(0.02))
        {
            // Cleared cookies: a fresh anonymousId, logged out, banner again.
            _device.AnonymousId = _rng.NextUuid();
            _device.LoggedIn = false;
            _device.Consent = null;
        }

        writer.BeginSession(buffer, customer, _device);
        var purchase = plan is SessionPlan.Purchase or SessionPlan.SignUpAndPurchase;
        var anchor = customer.PickAnchor(_catalog);
        _visit = _device.IsApp ? null : VisitPlanner.Choose(_rng, customer, purchase, anchor, _t);
        var landed = Arrive(anchor);
        AskConsent();
        if (customer.Registered && !_device.LoggedIn)
        {
            LogIn();
        }

        var basket = _catalog.DrawBasket(_rng, anchor, customer.IsBusiness);
        Discover(anchor, basket, landed);
        switch (plan)
        {
            case SessionPlan.Browse:
                MaybeAbandonCart(basket);
                break;
            case SessionPlan.SignUp:
                SignUp();
                break;
            default:
                Checkout(basket, signUpFirst: plan == SessionPlan.SignUpAndPurchase);
                break;
        }

        customer.PlanNext(demo, _t, purchase);
    }

    private void Step(double meanSeconds = 25) => _t += 2000 + (long)_rng.Exponential(meanSeconds * 1000);

    private void Navigate(string name, string path, string title, Product? product, string? query = null)
    {
        if (_device.IsApp)
        {
            writer.Screen(_t, name, product);
            return;
        }

        var search = query ?? "";
        var url = Catalog.BaseUrl + path + search;
        writer.PageEvent(_t, name, new PageView(path, url, title, search, writer.Page.Url ?? ""), null);
    }

    /// <summary>The first page or screen of the session; returns the product landed on, if any.</summary>
    private Product? Arrive(ProductCategory anchor)
    {
        if (_device.IsApp)
        {
            if (!_device.Installed)
            {
                _device.Installed = true;
                AppLifecycle("Application Installed");
                Step(5);
            }

            AppLifecycle("Application Opened");
            Step(3);
            writer.Screen(_t, "Home", null);
            return null;
        }

        var visit = _visit!;
        Product? product = null;
        string name, path, title;
        var landing = visit.Channel switch
        {
            Channel.Direct => _rng.Chance(0.7) ? 0 : 2,
            Channel.OrganicSearch => _rng.Chance(0.5) ? 1 : 2,
            Channel.PaidSearch => visit.Campaign == "brand_search" ? 0 : 1,
            Channel.Email => _rng.Next(10) switch { < 5 => 1, < 8 => 0, _ => 2 },
            _ => 2,
        };
        switch (landing)
        {
            case 0:
                (name, path, title) = ("Home", "/", Catalog.ShopName);
                break;
            case 1:
                (name, path, title) = ("Category", anchor.Path, anchor.Title);
                break;
            default:
                product = anchor.PickProduct(_rng);
                (name, path, title) = ("Product", product.Path, product.Title);
                break;
        }

        var search = visit.Query();
        writer.PageEvent(_t, name, new PageView(path, Catalog.BaseUrl + path + search, title, search, visit.Referrer), visit);
        if (product is not null)
        {
            Step(5);
            ProductEvent("Product Viewed", product, 0);
        }

        return product;
    }

    private void AppLifecycle(string name)
    {
        var json = writer.BeginTrack(_t, name);
        json.WriteString("version"u8, EventWriter.AppVersion);
        json.WriteString("build"u8, EventWriter.AppBuild);
        if (name == "Application Opened")
        {
            json.WriteBoolean("from_background"u8, false);
        }

        writer.End();
    }

    private void AskConsent()
    {
        string source;
        if (_device.Consent is null && _rng.Chance(0.85))
        {
            source = "banner";
        }
        else if (_device.Consent is not null && _rng.Chance(0.015))
        {
            // Second thoughts, usually about marketing.
            var old = _customer.ConsentAnswer;
            _customer.ConsentAnswer = old with { Marketing = !old.Marketing, Personalization = _rng.Chance(0.3) ? !old.Personalization : old.Personalization };
            source = "preferences";
        }
        else
        {
            return;
        }

        Step(4);
        _device.Consent = _customer.ConsentAnswer;
        _customer.Consent = _customer.ConsentAnswer;
        var json = writer.BeginTrack(_t, "Consent Updated");
        json.WriteStartObject("categories"u8);
        EventWriter.WriteConsentCategories(json, _customer.ConsentAnswer);
        json.WriteEndObject();
        json.WriteString("source"u8, source);
        writer.End();
    }

    private void LogIn()
    {
        Step(8);
        Navigate("Log In", "/account/login", "Log in | " + Catalog.ShopName, null);
        Step(20);
        _device.LoggedIn = true;
        var traits = writer.BeginIdentify(_t);
        traits.WriteString("email"u8, _customer.Person.Email);
        writer.End();
        Step(1);
        writer.BeginTrack(_t, "Signed In").WriteString("method"u8, "password");
        writer.End();
    }

    private void SignUp()
    {
        Step();
        Navigate("Sign Up", "/account/signup", "Create account | " + Catalog.ShopName, null);
        Step(60);
        var person = _customer.Person;
        _device.LoggedIn = true;
        _customer.SignedUpMs = _t;
        _customer.Stage = LifecycleStage.Registered;
        var traits = writer.BeginIdentify(_t);
        traits.WriteString("email"u8, person.Email);
        traits.WriteString("firstName"u8, person.FirstName);
        traits.WriteString("lastName"u8, person.LastName);
        if (person.Phone is not null)
        {
            traits.WriteString("phone"u8, person.Phone);
        }

        Span<byte> createdAt = stackalloc byte[IsoTimestamp.Length];
        IsoTimestamp.Format(_t, createdAt);
        traits.WriteString("createdAt"u8, createdAt);
        traits.WriteStartObject("address"u8);
        traits.WriteString("street"u8, person.Street);
        traits.WriteString("city"u8, person.City);
        traits.WriteString("state"u8, person.State);
        traits.WriteString("postalCode"u8, person.PostalCode);
        traits.WriteString("country"u8, person.Country.Code);
        traits.WriteEndObject();
        if (_customer.Company is { } company)
        {
            traits.WriteStartObject("company"u8);
            traits.WriteString("id"u8, company.Id);
            traits.WriteString("name"u8, company.Name);
            traits.WriteEndObject();
        }

        writer.End();
        Step(1);
        writer.BeginTrack(_t, "Signed Up").WriteString("method"u8, "email");
        writer.End();
        if (_customer.AliasAtSignUp)
        {
            Step(1);
            writer.Alias(_t, _device.AnonymousId);
        }

        if (_customer.Company is { } group)
        {
            Step(1);
            var json = writer.BeginGroup(_t, group.Id);
            json.WriteString("name"u8, group.Name);
            json.WriteString("industry"u8, group.Industry);
            json.WriteNumber("employee_count"u8, group.Employees);
            json.WriteString("plan"u8, group.Plan);
            json.WriteString("website"u8, group.Website);
            writer.End();
        }
    }

    private void Discover(ProductCategory anchor, List<BasketLine> basket, Product? landed)
    {
        Step();
        if (_rng.Chance(0.25))
        {
            var query = _rng.Chance(0.08) ? Typo(anchor.SearchQuery) : anchor.SearchQuery;
            Navigate("Search", "/search", "Search | " + Catalog.ShopName, null, "?q=" + query.Replace(' ', '+'));
            Step(3);
            writer.BeginTrack(_t, "Products Searched").WriteString("query"u8, query);
            writer.End();
        }
        else
        {
            Navigate("Category", anchor.Path, anchor.Title, null);
            Step(3);
            ProductJson.WriteList(writer.BeginTrack(_t, "Product List Viewed"), anchor);
            writer.End();
        }

        foreach (var line in basket)
        {
            if (line.Product != landed)
            {
                ViewProduct(line.Product);
            }
        }

        var extra = _rng.Next(3);
        for (var i = 0; i < extra; i++)
        {
            ViewProduct(anchor.PickProduct(_rng));
        }
    }

    private void ViewProduct(Product product)
    {
        Step();
        Navigate("Product", product.Path, product.Title, product);
        Step(3);
        ProductEvent("Product Viewed", product, 0);
    }

    private void ProductEvent(string name, Product product, int quantity, string? cartId = null)
    {
        var json = writer.BeginTrack(_t, name);
        if (cartId is not null)
        {
            json.WriteString("cart_id"u8, cartId);
        }

        ProductJson.WriteFields(json, product, quantity, withLinks: true);
        json.WriteString("currency"u8, ProductJson.Currency);
        writer.End();
    }

    private void MaybeAbandonCart(List<BasketLine> basket)
    {
        if (!_rng.Chance(0.12))
        {
            return;
        }

        var cartId = "cart_" + _rng.NextHex(12);
        Step(15);
        ProductEvent("Product Added", basket[0].Product, basket[0].Quantity, cartId);
        _customer.AbandonedCart = _customer.Registered;
        if (_rng.Chance(0.5))
        {
            ViewCart(cartId, basket.GetRange(0, 1));
            if (_rng.Chance(0.35))
            {
                StartCheckout(basket.GetRange(0, 1));
            }
        }
    }

    private void ViewCart(string cartId, List<BasketLine> lines)
    {
        Step();
        Navigate("Cart", "/cart", "Cart | " + Catalog.ShopName, null);
        Step(3);
        var json = writer.BeginTrack(_t, "Cart Viewed");
        json.WriteString("cart_id"u8, cartId);
        ProductJson.WriteProducts(json, lines);
        writer.End();
    }

    private (string OrderId, OrderTotals Totals) StartCheckout(List<BasketLine> lines)
    {
        Step();
        Navigate("Checkout", "/checkout", "Checkout | " + Catalog.ShopName, null);
        Step(10);
        var orderId = "SO-" + (_customer.Index + 1).ToString("D7", CultureInfo.InvariantCulture) + "-"
            + (++_customer.Checkouts).ToString("D3", CultureInfo.InvariantCulture);
        var (coupon, percent) = Coupons.Choose(_rng, _t, _visit?.Channel, _customer.Orders);
        var totals = OrderTotals.Compute(lines, coupon, percent, _customer.Person.Country.TaxRate, _customer.IsBusiness);
        var json = writer.BeginTrack(_t, "Checkout Started");
        ProductJson.WriteOrder(json, orderId, totals, lines);
        writer.End();
        return (orderId, totals);
    }

    private void Checkout(List<BasketLine> basket, bool signUpFirst)
    {
        var cartId = "cart_" + _rng.NextHex(12);
        foreach (var line in basket)
        {
            Step(15);
            ProductEvent("Product Added", line.Product, line.Quantity, cartId);
        }

        ViewCart(cartId, basket);
        var (orderId, totals) = StartCheckout(basket);
        if (signUpFirst)
        {
            SignUp();
        }

        Step(90);
        Navigate("Order Confirmation", "/checkout/confirmation", "Thank you | " + Catalog.ShopName, null);

        // The shop's backend reports the order with analytics-node, keyed by userId only.
        _t += 500 + _rng.Next(2500);
        var json = writer.BeginTrack(_t, "Order Completed", server: true);
        json.WriteString("checkout_id"u8, cartId.Replace("cart_", "chk_", StringComparison.Ordinal));
        EventWriter.WriteMoney(json, "subtotal"u8, totals.Subtotal);
        EventWriter.WriteMoney(json, "total"u8, totals.Total);
        ProductJson.WriteOrder(json, orderId, totals, basket);
        writer.End();

        _customer.Orders++;
        _customer.LastOrderMs = _t;
        _customer.AbandonedCart = false;
        if (_customer.Stage == LifecycleStage.Registered)
        {
            _customer.Stage = LifecycleStage.Active;
        }
    }

    private string Typo(string query)
    {
        var i = _rng.Next(1, query.Length - 1);
        return string.Concat(query.AsSpan(0, i), query.AsSpan(i + 1));
    }
}
