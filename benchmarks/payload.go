// Package benchmarks measures what the envelope costs per request, side by
// side with what users write today (encoding/json by hand, huma, echo, gin,
// chi with render, fiber) and with the limit of net/http itself. See
// README.md.
package benchmarks

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/apienvelope/apienvelope/envelope"
)

// The payloads' types are shared by every variant, so that each one does the
// same JSON work.

// SmallParams is a ~200-byte request.
type SmallParams struct {
	To       []string `json:"to"`
	From     string   `json:"from"`
	ReplyTo  string   `json:"reply_to"`
	Subject  string   `json:"subject"`
	Tag      string   `json:"tag"`
	Priority int      `json:"priority"`
	Track    bool     `json:"track"`
}

// SmallResult is a ~300-byte result.
type SmallResult struct {
	MessageID  string      `json:"message_id"`
	Token      string      `json:"token"`
	Queued     bool        `json:"queued"`
	QueuedAt   string      `json:"queued_at"`
	Recipients []Recipient `json:"recipients"`
}

// Recipient is one address a message goes to.
type Recipient struct {
	Address string `json:"address"`
	ID      int64  `json:"id"`
	Status  string `json:"status"`
}

// Address is a postal address.
type Address struct {
	Line1    string `json:"line1"`
	Line2    string `json:"line2,omitempty"`
	City     string `json:"city"`
	Region   string `json:"region"`
	Postcode string `json:"postcode"`
	Country  string `json:"country"`
}

// Customer is who orders.
type Customer struct {
	ID      int64   `json:"id"`
	Name    string  `json:"name"`
	Email   string  `json:"email"`
	Phone   string  `json:"phone"`
	Address Address `json:"address"`
}

// Option is one choice made for an item.
type Option struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Item is one line of an order.
type Item struct {
	SKU       string   `json:"sku"`
	Name      string   `json:"name"`
	Quantity  int      `json:"quantity"`
	UnitPrice float64  `json:"unit_price"`
	Tags      []string `json:"tags"`
	Options   []Option `json:"options"`
}

// MediumParams is a ~4 KiB request of nested objects and arrays.
type MediumParams struct {
	OrderRef string   `json:"order_ref"`
	Customer Customer `json:"customer"`
	Shipping Address  `json:"shipping"`
	Items    []Item   `json:"items"`
	Coupons  []string `json:"coupons"`
	Notes    string   `json:"notes"`
	Gift     bool     `json:"gift"`
}

// Line is a priced line of an order.
type Line struct {
	SKU       string  `json:"sku"`
	Name      string  `json:"name"`
	Quantity  int     `json:"quantity"`
	Amount    float64 `json:"amount"`
	Tax       float64 `json:"tax"`
	Warehouse string  `json:"warehouse"`
	ETA       string  `json:"eta"`
}

// Shipment is a parcel of an order.
type Shipment struct {
	ID       string   `json:"id"`
	Carrier  string   `json:"carrier"`
	Status   string   `json:"status"`
	Tracking string   `json:"tracking"`
	Items    []string `json:"items"`
}

// MediumResult is a ~4 KiB result of nested objects and arrays.
type MediumResult struct {
	ID        string     `json:"id"`
	State     string     `json:"state"`
	Currency  string     `json:"currency"`
	Total     float64    `json:"total"`
	Customer  Customer   `json:"customer"`
	Lines     []Line     `json:"lines"`
	Shipments []Shipment `json:"shipments"`
}

// LargeParams asks for one page of records.
type LargeParams struct {
	Page    int    `json:"page"`
	PerPage int    `json:"per_page"`
	Status  string `json:"status"`
	Sort    string `json:"sort"`
}

// Record is one of the 1000 records of the large result (~256 bytes).
type Record struct {
	ID        int64    `json:"id"`
	UUID      string   `json:"uuid"`
	Name      string   `json:"name"`
	Email     string   `json:"email"`
	Status    string   `json:"status"`
	Score     float64  `json:"score"`
	CreatedAt string   `json:"created_at"`
	Tags      []string `json:"tags"`
	City      string   `json:"city"`
}

// Payload is one request and what the action makes of it.
type Payload[P, R any] struct {
	Name    string
	Request []byte
	// Serve is the action itself, shared by every variant: it checks the
	// decoded parameters and returns a precomputed result.
	Serve func(P) (R, error)
	// Page is the "paginated" flag, nil when the answer has no flags.
	Page *envelope.Page
}

var errBadParams = errors.New("the parameters were not decoded as expected")

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// Small is the small payload.
func Small() Payload[SmallParams, *SmallResult] {
	p := SmallParams{
		To:       []string{"alice.liddell@example.com", "bob.marley@example.org"},
		From:     "notifications@shop.example.net",
		ReplyTo:  "support@shop.example.net",
		Subject:  "Your order #10452 has shipped",
		Tag:      "order-shipped",
		Priority: 2,
		Track:    true,
	}
	r := &SmallResult{
		MessageID: "f0c3a9e2-7b51-4d8e-9a40-3c1f2b6d8e77@shop.example.net",
		Token:     "Kq8vZ2mXr4TpLw9N",
		Queued:    true,
		QueuedAt:  "2026-11-27T08:20:00.123456Z",
		Recipients: []Recipient{
			{Address: "alice.liddell@example.com", ID: 918273645, Status: "queued"},
			{Address: "bob.marley@example.org", ID: 918273646, Status: "queued"},
		},
	}
	return Payload[SmallParams, *SmallResult]{
		Name:    "small",
		Request: mustJSON(p),
		Serve: func(got SmallParams) (*SmallResult, error) {
			if len(got.To) != 2 || got.Priority != 2 {
				return nil, errBadParams
			}
			return r, nil
		},
	}
}

func customer(i int) Customer {
	return Customer{
		ID:    int64(40000 + i),
		Name:  "Grace Hopper",
		Email: "grace.hopper@example.com",
		Phone: "+1-202-555-0143",
		Address: Address{
			Line1: "1 Navy Yard Plaza", Line2: "Building 7", City: "Arlington",
			Region: "VA", Postcode: "22202", Country: "US",
		},
	}
}

// Medium is the medium payload.
func Medium() Payload[MediumParams, *MediumResult] {
	p := MediumParams{
		OrderRef: "ORD-2026-0010452",
		Customer: customer(1),
		Shipping: customer(1).Address,
		Coupons:  []string{"WELCOME10", "FREESHIP"},
		Notes:    "Leave the parcel with the concierge if nobody answers; call ahead on weekdays.",
		Gift:     true,
	}
	r := &MediumResult{ID: "ord_8f3b2c1d9e", State: "confirmed", Currency: "EUR", Total: 1234.56, Customer: customer(1)}
	for i := range 16 {
		sku := fmt.Sprintf("SKU-%05d", 31000+i*7)
		p.Items = append(p.Items, Item{
			SKU: sku, Name: fmt.Sprintf("Stainless steel water bottle, model %d", i),
			Quantity: 1 + i%3, UnitPrice: 19.99 + float64(i),
			Tags:    []string{"outdoor", "kitchen", "gift"},
			Options: []Option{{Name: "colour", Value: "forest green"}, {Name: "size", Value: "750ml"}},
		})
		r.Lines = append(r.Lines, Line{
			SKU: sku, Name: p.Items[i].Name, Quantity: 1 + i%3, Amount: 39.98 + float64(i), Tax: 7.6 + float64(i)/10,
			Warehouse: "DE-BER-02", ETA: "2026-12-02T12:00:00Z",
		})
	}
	for i := range 8 {
		r.Shipments = append(r.Shipments, Shipment{
			ID: fmt.Sprintf("shp_%08d", 5550+i), Carrier: "DHL Paket", Status: "in_transit", Tracking: fmt.Sprintf("00340434161094%06d", 2040+i),
			Items: []string{r.Lines[i].SKU, r.Lines[i+8].SKU},
		})
	}
	return Payload[MediumParams, *MediumResult]{
		Name:    "medium",
		Request: mustJSON(p),
		Serve: func(got MediumParams) (*MediumResult, error) {
			if len(got.Items) != 16 || got.Customer.Address.City != "Arlington" {
				return nil, errBadParams
			}
			return r, nil
		},
	}
}

// Large is the large payload: a page of 1000 records, with the
// "paginated" flag.
func Large() Payload[LargeParams, []Record] {
	p := LargeParams{Page: 2, PerPage: 1000, Status: "active", Sort: "name"}
	records := make([]Record, 1000)
	cities := []string{"Berlin", "Lisbon", "Montréal", "Osaka", "Nairobi"}
	for i := range records {
		records[i] = Record{
			ID:        int64(100000 + i),
			UUID:      fmt.Sprintf("3f2a%04x-9c1e-4b7a-8d2f-%012x", i, 0xa1b2c3d4e5+i),
			Name:      fmt.Sprintf("Customer number %d", i),
			Email:     fmt.Sprintf("customer.%d@mail.example.com", i),
			Status:    "active",
			Score:     float64(i%997) / 8,
			CreatedAt: "2026-03-14T15:09:26Z",
			Tags:      []string{"newsletter", "beta-tester", strings.Repeat("x", i%5)},
			City:      cities[i%len(cities)],
		}
	}
	page := envelope.Page{Page: 2, PerPage: 1000, TotalPages: 5, TotalRecords: 4321}
	return Payload[LargeParams, []Record]{
		Name:    "large",
		Request: mustJSON(p),
		Serve: func(got LargeParams) ([]Record, error) {
			if got.PerPage != 1000 || got.Page != 2 {
				return nil, errBadParams
			}
			return records, nil
		},
		Page: &page,
	}
}
